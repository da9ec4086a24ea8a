from django.core.management.base import BaseCommand, CommandError

from mdss.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Walk the audit hash chain; exit non-zero naming the first broken row."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain broken at event #{report.broken_id}: {report.problem} "
                f"({report.checked} events before it are intact)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} events")
