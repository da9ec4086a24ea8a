from django.core.management.base import BaseCommand, CommandError

from mdss.accounts.models import User
from mdss.accounts.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create an API bearer token for USERNAME and print it (it is stored hashed and shown once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        _token, raw = api_token_create(user=user, name=name, actor=user)
        self.stdout.write(raw)
