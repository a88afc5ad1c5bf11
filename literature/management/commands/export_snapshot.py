import time

from django.conf import settings
from django.core.management.base import BaseCommand

from literature.snapshots import write_snapshot


class Command(BaseCommand):
    help = (
        "Write every approved article, as the API gives it, to gzipped JSON Lines with a manifest, and the "
        "confirmed drug-article links with their evidence and history (JSON Lines and CSV), under "
        "SNAPSHOT_ROOT; the site serves the newest at /snapshots/latest/. Run it daily (cron or a timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=settings.PORTAL_BASE_URL,
            help="the portal's public address, for the links inside the records (PORTAL_BASE_URL)",
        )
        parser.add_argument("--keep", type=int, default=3, help="how many snapshots to keep (default 3)")

    def handle(self, base_url, keep, **options):
        started = time.perf_counter()
        manifest = write_snapshot(base_url, keep=keep)
        counts = manifest["counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"{manifest['name']}: {counts['articles']:,} articles, {counts['drug_links']:,} confirmed drug links "
                f"({time.perf_counter() - started:.1f} s)."
            )
        )
