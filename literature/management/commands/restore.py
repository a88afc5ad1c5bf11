import time

from django.core.management.base import BaseCommand, CommandError

from literature.archive import ArchiveError, restore_archive


class Command(BaseCommand):
    help = (
        "Load an archive written by `backup` into this database, which must be empty and migrated to the "
        "same release; all or nothing. Then rebuild the search index and the Fingerprints."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="an archive written by `manage.py backup`")

    def handle(self, path, **options):
        started = time.perf_counter()

        def progress(label, count):
            if options["verbosity"] > 1:
                self.stdout.write(f"  {label}: {count:,}")

        try:
            report = restore_archive(path, progress=progress)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path}: {report}, derived data rebuilt ({time.perf_counter() - started:.1f} s)."
            )
        )
