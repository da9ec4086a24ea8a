from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mdss.accounts import demo as accounts_demo
from mdss.core.discovery import app_modules


def demo_modules() -> list:
    """Every app's ``demo`` module (a ``seed(stdout=None)`` function), in dependency order."""
    return app_modules("demo")


class Command(BaseCommand):
    help = "Create realistic demo data and print the demo logins. Safe to repeat: existing rows are kept."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow with DJANGO_DEBUG=0.")
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")
        parser.add_argument(
            "--skip-in-production",
            action="store_true",
            help="With DEBUG off, do nothing and succeed (used by `make setup`).",
        )

    def handle(self, *args, force=False, quiet=False, skip_in_production=False, **options):
        if not settings.DEBUG and not force and skip_in_production:
            self.stdout.write(
                "seed_demo skipped: DJANGO_DEBUG is off (production has no demo users)."
            )
            return
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a known password; refusing with DEBUG off (use --force)."
            )
        logins = []
        for module in demo_modules():
            logins += module.seed(stdout=self.stdout) or []
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {accounts_demo.DEMO_PASSWORD})")
        self.stdout.write(f"  {'user':<12} {'name':<8} role")
        for username, name, role in logins:
            self.stdout.write(f"  {username:<12} {name:<8} {role}")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in as any of them.")
