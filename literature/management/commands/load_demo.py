from django.core.management.base import BaseCommand

from literature.devdata.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the reference record (Castelli et al. 2012) and its three drugs. Safe to run again: what is "
        "missing is created, what curators edited is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="put the record back as shipped, over curators' edits")

    def handle(self, *args, reset=False, **options):
        article, report = load_demo(reset=reset)
        self.stdout.write(self.style.SUCCESS(f"Demo record loaded: {report}."))
        self.stdout.write(f"  {article} -> {article.get_absolute_url()}")
