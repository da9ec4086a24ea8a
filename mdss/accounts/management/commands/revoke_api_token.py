from django.core.management.base import BaseCommand, CommandError

from mdss.accounts.models import ApiToken
from mdss.accounts.selectors import hash_token
from mdss.accounts.services import api_token_revoke


class Command(BaseCommand):
    help = "Revoke an API token given its value."

    def add_arguments(self, parser):
        parser.add_argument("token")

    def handle(self, *args, token, **options):
        row = ApiToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
        if row is None:
            raise CommandError("Unknown token.")
        api_token_revoke(token=row, actor=row.user)
        self.stdout.write(f"revoked {row.prefix}… of {row.user.username}")
