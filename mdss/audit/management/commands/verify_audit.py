from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mdss.audit.verify import verify_all


class Command(BaseCommand):
    help = (
        "Walk the audit chain (HMAC under MDSS_AUDIT_KEY), compare it with the newest "
        "checkpoint and check every e-signature; exit non-zero naming what is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            default=None,
            help="the checkpoint file kept by the operator (default MDSS_AUDIT_CHECKPOINT_FILE)",
        )

    def handle(self, *args, checkpoints=None, **options):
        path = checkpoints or settings.MDSS_AUDIT_CHECKPOINT_FILE
        report = verify_all(path)
        lines = []
        if report.broken_id is not None:
            lines.append(
                f"audit chain broken at event #{report.broken_id}: {report.problem} "
                f"({report.checked} events before it are intact)"
            )
        lines.extend(report.problems)
        if lines:
            raise CommandError("\n".join(lines))
        from pathlib import Path

        if not Path(path).exists():
            self.stderr.write(f"no checkpoint file at {path}: the chain's tail cannot be checked")
        self.stdout.write(f"audit chain intact: {report.checked} events")
