"""The hand-over of a possibly reportable complaint to quality's adverse-event flow.

complaints sits below quality (DESIGN.md: apps depend downwards), so it never imports
it. When a hand-over opens, ``handover_opened`` is sent after the commit; the quality
app connects a receiver that opens its adverse-event report and, when that report is
filed, calls ``complaints.services.handover_close`` with its reference. Until a
receiver is connected, quality closes the hand-over on the complaint's page.
"""

from django.dispatch import Signal

# Sent with ``complaint`` and ``handover`` once the hand-over is committed.
handover_opened = Signal()
