"""What a page rendered in Chinese must not show: an English message id of our own
catalogue left untranslated, or an internal code (a policy or audit code such as
``contract.legal_review``, an ``esign:`` meaning). Used by the permission matrix on
every page it opens, as every caller (issue 15, "Words")."""

from __future__ import annotations

import html
import re
from contextlib import contextmanager
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


@cache
def same_in_chinese() -> frozenset[str]:
    """Message ids our catalogue translates to themselves on purpose (English, MDSS)."""
    same = set()
    for entry in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        msgid = _joined(re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M))
        msgstr = _joined(re.search(r'^msgstr ((?:".*"\n?)+)', entry, re.M))
        if msgid and msgid == msgstr:
            same.add(msgid)
    return frozenset(same)


_ENGLISH = re.compile(r"[a-z]{3}")


@contextmanager
def missing_translations():
    """Collects the message ids looked up while the language is Chinese that no
    catalogue translates (ours, Django's, a library's): a msgid written in the code
    but missing from locale/ (``make messages`` not run, or the entry left empty or
    fuzzy) shows up here, in English, on a Chinese page."""
    from django.utils import translation

    trans = translation._trans
    names = ("gettext", "ngettext", "pgettext", "npgettext")
    real = {name: getattr(trans, name) for name in names}  # resolves them on first use
    missed: set[str] = set()

    def note(result, *english):
        if (
            result in english
            and translation.get_language() == "zh-hans"
            and _ENGLISH.search(english[0])
            and english[0] not in same_in_chinese()
        ):
            missed.add(english[0])
        return result

    wrappers = {
        "gettext": lambda message: note(real["gettext"](message), message),
        "ngettext": lambda singular, plural, n: note(
            real["ngettext"](singular, plural, n), singular, plural
        ),
        "pgettext": lambda context, message: note(real["pgettext"](context, message), message),
        "npgettext": lambda context, singular, plural, n: note(
            real["npgettext"](context, singular, plural, n), singular, plural
        ),
    }
    for name, wrapper in wrappers.items():
        setattr(trans, name, wrapper)
    try:
        yield missed
    finally:
        for name in names:
            setattr(trans, name, real[name])
