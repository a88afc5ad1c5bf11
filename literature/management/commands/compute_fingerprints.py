import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from literature.derived import refresh_derived
from literature.mining.fingerprint import ConceptExtractor, compute_fingerprints
from literature.models import Article


class Command(BaseCommand):
    help = (
        "Recompute every article's Fingerprint (weighted concepts from the drug vocabulary, MeSH and keywords), "
        "with each concept's rarity counted over the whole corpus. Concepts curators hid stay hidden."
    )

    def handle(self, **options):
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
