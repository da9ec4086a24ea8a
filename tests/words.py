"""What a page rendered in Chinese must not show: an English message id of our own
catalogue left untranslated, or an internal code (a policy or audit code such as
``contract.legal_review``, an ``esign:`` meaning). Used by the permission matrix on
every page it opens, as every caller (issue 15, "Words")."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_TEXT = re.compile(r">([^<>]+)<")
_ATTRS = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')
# Codes the code uses and people should never read: policy and audit codes, e-signature
# meanings, the seed's requirement ids in brackets.
_CODES = re.compile(
    r"\b(?:contract|contracts|customers|pricing|training|catalog|calendars|service|devices"
    r"|accounts|audit)\.[a-z]+_[a-z_]+\b|\besign:|[（(][SAQDX]\d{1,2}[)）]"
)


@cache
def english_ids() -> frozenset[str]:
    """Message ids whose Chinese differs from them and that contain a lower-case
    English word (not a brand or an acronym such as MDSS or UDI)."""
    ids = set()
    for entry in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        if entry.lstrip().startswith("#~"):
            continue
        msgid = _joined(re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M))
        msgstr = _joined(re.search(r'^msgstr ((?:".*"\n?)+)', entry, re.M))
        if msgid and msgstr and msgid != msgstr and re.search(r"[a-z]{3}", msgid):
            ids.add(msgid.replace('\\"', '"'))
    return frozenset(ids)


def _joined(match) -> str:
    return "".join(re.findall(r'"(.*)"', match.group(1))) if match else ""


def leaks(page: str, *, codes: bool = True) -> list[str]:
    """The untranslated ids and internal codes the page shows (text and the attributes
    people read: placeholder, title, aria-label, alt). ``codes=False`` for an
    administrator, to whom policy codes are shown as a hint on purpose."""
    page = _SCRIPTS.sub("", page)
    texts = [html.unescape(t).strip() for t in _TEXT.findall(page) + _ATTRS.findall(page)]
    english = english_ids()
    found = []
    for text in texts:
        if not text:
            continue
        if text in english:
            found.append(f"untranslated {text!r}")
        for code in _CODES.findall(text) if codes else ():
            found.append(f"internal code {code!r} in {text[:60]!r}")
    return sorted(set(found))
