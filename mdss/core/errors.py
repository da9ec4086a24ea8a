"""One error hierarchy for the whole system.

Services raise these; the API maps them to one JSON shape (see ``mdss.api``) and
views map them to form errors (``apply_to_form``), so a rule is stated once and
reported the same way on a page and through the API.

The JSON shape of every API error::

    {"code": "validation_error", "message": "…", "request_id": "…",
     "errors": [{"field": "quantity", "rule": "min_value", "message": "…"}]}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FieldError:
    field: str  # dotted path of the input field, "__all__" for the whole object
    rule: str  # machine-readable rule name: required, min_value, expired, …
    message: str  # translated sentence for a person

    def as_dict(self) -> dict:
        return {k: str(v) for k, v in asdict(self).items()}


class ApplicationError(Exception):
    status_code = 400
    code = "error"
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, errors: list[FieldError] | None = None, code=None):
        self.message = message if message is not None else self.default_message
        self.errors = list(errors or [])
        if code:
            self.code = code
        super().__init__(str(self.message))

    def as_dict(self, request_id: str = "") -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "errors": [e.as_dict() for e in self.errors],
            "request_id": request_id,
        }


class ValidationFailed(ApplicationError):
    status_code = 422
    code = "validation_error"
    default_message = _("Some fields are not valid.")

    @classmethod
    def single(cls, field: str, rule: str, message) -> ValidationFailed:
        return cls(message, errors=[FieldError(field, rule, message)])

    @classmethod
    def from_django(cls, exc: DjangoValidationError) -> ValidationFailed:
        errors: list[FieldError] = []
        if hasattr(exc, "error_dict"):
            for field, field_errors in exc.error_dict.items():
                for err in field_errors:
                    errors.append(
                        FieldError(
                            "__all__" if field == NON_FIELD_ERRORS else field,
                            err.code or "invalid",
                            " ".join(str(m) for m in err.messages),
                        )
                    )
        else:
            for err in exc.error_list:
                errors.append(FieldError("__all__", err.code or "invalid", " ".join(err.messages)))
        return cls(errors=errors)


class NotAuthenticated(ApplicationError):
    status_code = 401
    code = "not_authenticated"
    default_message = _("Authentication is required: log in or send a valid bearer token.")


class PermissionDenied(ApplicationError):
    status_code = 403
    code = "permission_denied"
    default_message = _("You do not have permission to do this.")


class NotFound(ApplicationError):
    status_code = 404
    code = "not_found"
    default_message = _("Not found.")


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"
    default_message = _("The record changed or is in a state that does not allow this.")


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _("This action is not allowed in the record's current state.")


def apply_to_form(form, exc: ApplicationError) -> None:
    """Put an ApplicationError's field errors on a bound form (unknown fields go on top)."""
    if not exc.errors:
        form.add_error(None, str(exc.message))
        return
    for err in exc.errors:
        field = err.field if err.field in form.fields else None
        form.add_error(field, str(err.message))


def attempt(form, call) -> bool:
    """Run a service for a valid form; its errors land on the form's fields. Views use
    it so a refused change shows the rule next to the field, with nothing written."""
    if not form.is_valid():
        return False
    try:
        call()
    except ApplicationError as exc:
        apply_to_form(form, exc)
        return False
    return True


def model_errors(instance, exclude=None) -> list[FieldError]:
    """A model's field errors as FieldErrors, without its database constraints (the
    caller explains those in words), so a service reports them with its own rules."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except DjangoValidationError as exc:
        return list(ValidationFailed.from_django(exc).errors)
    return []
