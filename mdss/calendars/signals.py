"""Signals of the calendars app, so apps above it can react without it knowing them."""

from django.dispatch import Signal

# Sent after the transaction that activated a new policy version commits; ``policy``.
# Apps whose due dates follow a cadence (return visits, training) re-plan them.
policy_activated = Signal()
