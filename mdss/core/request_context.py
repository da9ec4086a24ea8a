"""The id of the request being served, for logs and audit rows."""

import contextvars
import logging
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("mdss_request_id", default="")


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


def clear_request_id() -> None:
    _request_id.set("")


class RequestIdLogFilter(logging.Filter):
    """Adds the request id to every log line (settings.LOGGING uses it)."""

    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True
