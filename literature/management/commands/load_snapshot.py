import time

from django.core.management.base import BaseCommand, CommandError

from literature.snapshot_loader import SnapshotError, load_snapshot


class Command(BaseCommand):
    help = (
        "Load a snapshot written by export_snapshot (a folder with manifest.json) into this empty portal: "
        "every article under its own id, with its authors, identifiers, keywords, subject areas, "
        "publication history, references and confirmed drug links; then its search index and Fingerprint."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the snapshot's folder (the files /snapshots/latest/ lists)")

    def handle(self, folder, **options):
        started = time.perf_counter()
        try:
            count = load_snapshot(folder)
        except (SnapshotError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"{count:,} articles loaded ({time.perf_counter() - started:.1f} s)."))
