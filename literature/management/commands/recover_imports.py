from django.core.management.base import BaseCommand

from literature.importers import batches


class Command(BaseCommand):
    help = (
        "Undo the imports whose process is gone (killed, or the machine restarted) and mark their uploads "
        "failed. The worker's start runs it (make run, make serve, deploy/systemd/portal-worker.service)."
    )

    def handle(self, **options):
        undone = batches.undo_abandoned()
        self.stdout.write(f"{undone} abandoned import(s) undone.")
