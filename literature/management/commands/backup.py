import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from literature.archive import ArchiveError, write_archive


class Command(BaseCommand):
    help = (
        "Write the whole record (articles, people, journals, drugs, links, history, accounts, tokens) to a "
        "portable archive that `restore` loads into an empty SQLite or PostgreSQL database. Derived data "
        "(search index, Fingerprint weights, caches) is left out and rebuilt on restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write (a .zip), e.g. backup-2026-12-02.zip")

    def handle(self, path, **options):
        started = time.perf_counter()
        try:
            report = write_archive(path)
        except ArchiveError as error:
            Path(path).unlink(missing_ok=True)  # the zip begun before the snapshot was judged
            raise CommandError(f"Nothing written: {error}.") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}: {report} ({time.perf_counter() - started:.1f} s)."))
