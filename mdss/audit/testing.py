"""Test helper for every app: assert that a service recorded its audit event."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def assert_audited(action: str, obj=None, *, actor=None, reason: str | None = None, **changes):
    """The newest event with ``action`` (on ``obj``, by ``actor``) exists; returns it.

    Extra keyword arguments must appear in the event's ``changes`` with those values.
    """
    events = AuditEvent.objects.filter(action=action)
    if obj is not None:
        events = events.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
    if actor is not None:
        events = events.filter(actor=actor)
    event = events.order_by("-id").first()
    actions = list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:10])
    assert event is not None, f"no audit event {action!r} for {obj!r}; newest events: {actions}"
    if reason is not None:
        assert event.reason == reason, f"reason {event.reason!r} != {reason!r}"
    for key, value in changes.items():
        assert event.changes.get(key) == value, (
            f"changes[{key!r}] = {event.changes.get(key)!r} != {value!r}"
        )
    return event
