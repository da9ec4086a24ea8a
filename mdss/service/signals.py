"""What the service app announces to the apps above it (quality), which it never
imports (DESIGN.md: apps depend downwards)."""

from django.dispatch import Signal

# Sent with ``visit`` and ``actor`` after the commit of a repair record whose engineer
# suspects a product defect; quality records it as product feedback (Q3).
defect_suspected = Signal()
