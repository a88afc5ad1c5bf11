from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from literature.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for a user and print it (once: only a digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="what the token is for")

    def handle(self, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        _, key = ApiToken.issue(user, name)
        self.stdout.write(key)
