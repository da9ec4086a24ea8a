"""The id of the request being served, for logs and audit rows."""

import contextvars
import logging
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("mdss_request_id", default="")
_request: contextvars.ContextVar = contextvars.ContextVar("mdss_request", default=None)


def new_request_id(incoming: str | None = None) -> str:
    # Accept a caller's id (a load balancer or the hotline system) if it is sane.
    if incoming and len(incoming) <= 64 and incoming.replace("-", "").isalnum():
        value = incoming
    else:
        value = uuid.uuid4().hex
    _request_id.set(value)
    return value


def current_request_id() -> str:
    return _request_id.get()


def set_current_request(request) -> None:
    _request.set(request)


def current_user():
    """The logged-in user of the request being served, or None (a task, a command):
    for the few places that learn of a change without being told who made it (a
    password set through the admin)."""
    request = _request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def clear_request_id() -> None:
    _request_id.set("")
    _request.set(None)


class RequestIdLogFilter(logging.Filter):
    """Adds the request id to every log line (settings.LOGGING uses it)."""

    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True
