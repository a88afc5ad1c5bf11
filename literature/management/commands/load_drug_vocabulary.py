import time

from django.core.management.base import BaseCommand

from literature.mining.vocabulary import load_drug_vocabulary


class Command(BaseCommand):
    help = (
        "Create or update the drugs from the dictionary of the drug-named-entity-recognition package (about "
        "20,000 drugs, 107,000 names). A curator's edits are kept; running it again changes nothing."
    )

    def handle(self, **options):
        started = time.perf_counter()
        report = load_drug_vocabulary()
        self.stdout.write(self.style.SUCCESS(f"{report} ({time.perf_counter() - started:.1f} s)"))
