from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from literature.importers import batches
from literature.importers.run import import_file
from literature.models import CurationState


class Command(BaseCommand):
    help = (
        "Import records from PubMed/MEDLINE XML (gzipped or not), MEDLINE text, RIS, BibTeX and CSL-JSON "
        "files. Each file is all or nothing (committed chunk by chunk, undone whole if it fails): by default "
        "a file with any invalid record imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid records and write the rejected ones, untouched, to FILE.rejected",
        )
        parser.add_argument(
            "--state",
            choices=[CurationState.DRAFT, CurationState.IN_REVIEW, CurationState.APPROVED],
            default=CurationState.IN_REVIEW,
            help="curation state of new articles (default: in_review)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read, match and report everything as an import would, then undo it: nothing is written",
        )

    def handle(self, files, skip_invalid, state, dry_run=False, **options):
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        if undone := batches.undo_abandoned():
            self.stdout.write(self.style.WARNING(f"Undid {undone} import(s) whose process had been killed."))
        failed = False
        for path in files:
            rejected_path = path.with_name(path.name + ".rejected") if skip_invalid and not dry_run else None
            with tqdm(desc=path.name, unit=" records", disable=not self.stdout.isatty()) as bar:
                report = import_file(
                    path,
                    curation_state=state,
                    skip_invalid=skip_invalid,
                    rejected_path=rejected_path,
                    progress=bar.update,
                    dry_run=dry_run,
                )
            style = self.style.SUCCESS if report.imported and not report.errors else self.style.WARNING
            self.stdout.write(style(f"{report}{' (dry run: nothing written)' if dry_run else ''}"))
            for error in report.errors:
                self.stdout.write(f"  {error}")
            for warning in report.warnings:
                self.stdout.write(f"  warning: {warning}")
            if report.rejected_path:
                self.stdout.write(f"  rejected records written to {report.rejected_path}")
            failed |= not report.imported
        if failed:
            raise CommandError("Some files were not imported (see above).")
