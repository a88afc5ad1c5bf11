import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm


class Command(BaseCommand):
    help = "Add N synthetic but realistic articles (with authors, keywords, drugs) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="how many articles to add")
        parser.add_argument("--seed", type=int, help="random seed, for a reproducible corpus")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, count, seed, batch_size, **options):
        if count < 1:
            raise CommandError("COUNT must be at least 1.")
        try:
            from literature.devdata.corpus import generate_corpus
        except ModuleNotFoundError as missing:  # Faker: a development requirement, not a runtime one
            raise CommandError(
                f"generate_corpus needs the development requirements ({missing.name} is not installed): "
                "pip install -r requirements-dev.txt"
            ) from None
        started = time.perf_counter()
        with tqdm(total=count, unit="article", disable=not self.stdout.isatty()) as bar:
            report = generate_corpus(count, seed=seed, batch_size=batch_size, progress=bar.update)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Generated {report} in {elapsed:.1f} s ({count / elapsed:,.0f} articles/s).")
        )
