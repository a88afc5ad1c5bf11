import time

from django.core.management.base import BaseCommand

from literature.curation.duplicates import find_duplicate_articles


class Command(BaseCommand):
    help = "List likely duplicate articles (near-identical titles within a year) for curators to merge or dismiss."

    def handle(self, **options):
        started = time.perf_counter()
        found = find_duplicate_articles()
        self.stdout.write(
            self.style.SUCCESS(f"{found} new likely duplicate pair(s) in {time.perf_counter() - started:.1f} s")
        )
