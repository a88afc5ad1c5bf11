import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from literature.derived import refresh_derived
from literature.mining.fingerprint import ConceptExtractor, compute_fingerprints, fingerprints_are_current
from literature.models import Article


class Command(BaseCommand):
    help = (
        "Recompute every article's Fingerprint (weighted concepts from the drug vocabulary, MeSH and keywords), "
        "with each concept's rarity counted over the whole corpus. Concepts curators hid stay hidden."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="do nothing when the last full pass ran on this vocabulary and this many articles (`make run`)",
        )

    def handle(self, if_stale=False, **options):
        if if_stale and fingerprints_are_current():
            self.stdout.write("Fingerprints are up to date (same vocabulary, same corpus size): nothing to do.")
            return
        started = time.perf_counter()
        extractor = ConceptExtractor()
        loaded = time.perf_counter() - started
        with tqdm(total=Article.objects.count(), unit=" articles", disable=not self.stdout.isatty()) as bar:
            count = compute_fingerprints(extractor=extractor, progress=bar.update)
        refresh_derived(index=False, mining=False)  # the cached aggregates count links and Fingerprints
        seconds = time.perf_counter() - started - loaded
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} Fingerprints computed in {seconds:.1f} s ({count / max(seconds, 1e-9):,.0f} articles/s, "
                f"each read twice: rarity first); vocabularies loaded in {loaded:.1f} s"
            )
        )
