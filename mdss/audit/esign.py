"""Electronic signatures: password re-entry, name, time, meaning, hash of the content."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.core.errors import ValidationFailed

from . import services
from .models import ESignature


def content_hash(content: dict) -> str:
    return hashlib.sha256(services.canonical_json(content).encode()).hexdigest()


def _fingerprint(password: str) -> str:
    return hashlib.sha256((password or "").encode()).hexdigest()


def authenticate(signer, password: str) -> None:
    """Check the signer's password, counting failures (accounts.security).

    Services call this before opening their transaction, so a failure stays recorded
    when the refused change rolls back; ``sign`` then does not hash it again."""
    from mdss.accounts.security import check_password

    check_password(signer, password, door="e-signature")
    signer._esign_password = _fingerprint(password)


def sign(
    *, signer, password: str, meaning: str, obj, content: dict, comment: str = "", at=None
) -> ESignature:
    """Sign ``content`` (the fields that matter of ``obj``) after checking the password.

    The caller passes exactly what the signature vouches for (e.g. a contract's lines
    and total), so a later change of any of it is detected by ``verify``.
    """
    if getattr(signer, "_esign_password", None) != _fingerprint(password):
        authenticate(signer, password)
    if not meaning:
        raise ValidationFailed.single("meaning", "required", _("A signature needs a meaning."))
    with transaction.atomic():
        signature = ESignature.objects.create(
            signer=signer,
            signer_name=signer.display_name,
            meaning=meaning,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:255],
            content_hash=content_hash(content),
            comment=comment,
            # ``at`` is for seeding a demo history only; pages and the API never pass it.
            signed_at=at or timezone.now(),
        )
        services.record(
            actor=signer,
            action="esign",
            obj=obj,
            reason=comment,
            # The chain carries what the signature row says, so verify_audit can tell
            # an e-signature row added, altered or removed outside MDSS.
            changes={
                "meaning": meaning,
                "content_hash": signature.content_hash,
                "signature_id": signature.pk,
                "signer_id": signer.pk,
                "signed_at": signature.signed_at,
            },
        )
    return signature


def verify(signature: ESignature, content: dict) -> bool:
    """True if ``content`` is still what was signed."""
    return signature.content_hash == content_hash(content)
