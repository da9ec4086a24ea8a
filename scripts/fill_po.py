#!/usr/bin/env python3
"""Fill empty msgstr entries of a .po file from a JSON object {msgid: msgstr} on stdin.

Developers' helper after `make messages`: write the new strings' translations as JSON
and pipe them in. Entries that already have a translation are left alone; fuzzy
marks on filled entries are dropped. Prints the msgids still untranslated.
Usage: python scripts/fill_po.py locale/zh_Hans/LC_MESSAGES/django.po < new.json
"""

import json
import re
import sys


def unquote(block: str) -> str:
    return "".join(json.loads(f'"{part}"') for part in re.findall(r'"((?:[^"\\]|\\.)*)"', block))


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main(path: str) -> int:
    mapping = json.load(sys.stdin)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    entries = text.split("\n\n")
    missing = []
    for i, entry in enumerate(entries):
        m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', entry + "\n", re.M)
        if not m or "msgid_plural" in entry:
            continue
        msgid = unquote(m.group(1))
        if not msgid:
            continue
        current = unquote(m.group(2))
        fuzzy = "#, fuzzy" in entry
        if current and not fuzzy:
            continue
        if msgid in mapping:
            head = entry[: m.start(2)]
            head = head.replace("#, fuzzy\n", "").replace(", fuzzy", "")
            head = re.sub(r"^#\|.*\n", "", head, flags=re.M)
            entries[i] = head + quote(mapping[msgid])
        else:
            missing.append(msgid)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n\n".join(entries))
    for msgid in missing:
        print("untranslated:", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
