from django.core.management.base import BaseCommand

from mdss.audit import checkpoint


class Command(BaseCommand):
    help = "Append the audit chain's head (count, last id, last hash, MAC) to the checkpoint file."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=None)

    def handle(self, *args, file=None, **options):
        entry = checkpoint.write(file)
        self.stdout.write(
            f"checkpoint: {entry['count']} events up to #{entry['last_id']} ({entry['at']})"
        )
