import time

from django.core.management.base import BaseCommand

from literature.mining.vocabulary import load_drug_vocabulary, vocabulary_is_loaded


class Command(BaseCommand):
    help = (
        "Create or update the drugs from the dictionary of the drug-named-entity-recognition package (about "
        "20,000 drugs, 107,000 names). A curator's edits are kept; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="do nothing when the drugs were last loaded from this same source (what `make run` does)",
        )

    def handle(self, if_changed=False, **options):
        if if_changed and vocabulary_is_loaded():
            self.stdout.write("Drug vocabulary already loaded from this source: nothing to do.")
            return
        started = time.perf_counter()
        report = load_drug_vocabulary()
        self.stdout.write(self.style.SUCCESS(f"{report} ({time.perf_counter() - started:.1f} s)"))
