"""Chinese is the default language: every user-facing string has a translation."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    entries = PO.read_text(encoding="utf-8").split("\n\n")[1:]  # skip the header
    untranslated = []
    for entry in entries:
        if entry.lstrip().startswith("#~"):
            continue
        msgid = "".join(re.findall(r'^(?:msgid |")(?:")?(.*?)"$', entry.split("msgstr")[0], re.M))
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry + "\n", re.M)
        if "#, fuzzy" in entry or not msgstrs or any(s.strip() == '""' for s in msgstrs):
            untranslated.append(msgid or entry[:80])
    assert untranslated == [], "run `make messages` and translate: " + "; ".join(untranslated)


def test_chinese_is_the_default_language(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page


def test_english_is_available(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page
