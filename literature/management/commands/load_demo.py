from django.core.management.base import BaseCommand

from literature.devdata.demo import load_demo


class Command(BaseCommand):
    help = "Load the reference record (Castelli et al. 2012) and its three drugs. Safe to run again."

    def handle(self, *args, **options):
        article, report = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo record loaded: {report}."))
        self.stdout.write(f"  {article} -> {article.get_absolute_url()}")
