"""Electronic signatures: password re-entry, name, time, meaning, hash of the content."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from mdss.core.errors import ValidationFailed

from . import services
from .models import ESignature


def content_hash(content: dict) -> str:
    return hashlib.sha256(services.canonical_json(content).encode()).hexdigest()


def sign(
    *, signer, password: str, meaning: str, obj, content: dict, comment: str = ""
) -> ESignature:
    """Sign ``content`` (the fields that matter of ``obj``) after checking the password.

    The caller passes exactly what the signature vouches for (e.g. a contract's lines
    and total), so a later change of any of it is detected by ``verify``.
    """
    if not password or not signer.check_password(password):
        raise ValidationFailed.single(
            "password",
            "esign_password",
            _("The password is not correct: re-enter your own password to sign."),
        )
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
        )
        services.record(
            actor=signer,
            action="esign",
            obj=obj,
            reason=comment,
            changes={
                "meaning": meaning,
                "content_hash": signature.content_hash,
                "signature_id": signature.pk,
            },
        )
    return signature


def verify(signature: ESignature, content: dict) -> bool:
    """True if ``content`` is still what was signed."""
    return signature.content_hash == content_hash(content)
