"""The answer of a gate ("may this be sold / bought / serviced / done on this date?"):
yes, or no with every reason, each a code and a sentence naming the document and the
date. Catalog, customers, training and contracts gates return these, and new gates
(service dispatch, supplier orders) should too, so callers turn any refusal into
field errors the same way (``Decision.field_errors``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import FieldError


@dataclass(frozen=True)
class Reason:
    """Why a gate says no: a stable ``code`` (for the API and tests) and a translated
    ``message`` naming the document and the date."""

    code: str
    message: str


@dataclass
class Decision:
    """Yes when there is no reason against it, or when an override (a recorded
    exception by someone entitled to it) lets it pass despite the reasons, which are
    kept for the record. ``basis`` says what made it yes (a certificate, a training,
    an override)."""

    reasons: list[Reason] = field(default_factory=list)
    basis: str = ""
    overridden: bool = False

    @property
    def ok(self) -> bool:
        return self.overridden or not self.reasons

    def refuse(self, code: str, message: str) -> None:
        self.reasons.append(Reason(code, message))

    def override(self, basis: str) -> None:
        """Let it pass despite the reasons (which stay on the decision)."""
        self.overridden, self.basis = True, basis

    def field_errors(self, field_name: str, wrap=None) -> list[FieldError]:
        """The reasons as field errors; ``wrap`` turns a message into the error's text
        (e.g. prefixes the line number)."""
        return [
            FieldError(field_name, r.code, wrap(r.message) if wrap else r.message)
            for r in self.reasons
        ]
