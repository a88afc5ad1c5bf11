import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from literature.derived import refresh_derived
from literature.mining.mentions import current_matcher, detect_drugs
from literature.models import Article


class Command(BaseCommand):
    help = (
        "Find the drugs every article mentions (title, abstract, keywords) and write them as suggested links; "
        "rejected links stay rejected, confirmed ones stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, batch_size, **options):
        started = time.perf_counter()
        matcher = current_matcher()
        loaded = time.perf_counter() - started
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        created = 0
        with tqdm(total=len(ids), unit=" articles", disable=not self.stdout.isatty()) as bar:
            for start in range(0, len(ids), batch_size):
                batch = Article.objects.filter(pk__in=ids[start : start + batch_size]).only("title", "abstract")
                created += detect_drugs(batch, matcher)
                bar.update(min(batch_size, len(ids) - start))
        refresh_derived(index=False, mining=False)  # the cached aggregates count links and Fingerprints
        seconds = time.perf_counter() - started - loaded
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(ids)} articles read, {created} drug links suggested, in {seconds:.1f} s "
                f"({len(ids) / max(seconds, 1e-9):,.0f} articles/s; vocabulary of {matcher.size:,} names loaded in "
                f"{loaded:.1f} s)"
            )
        )
