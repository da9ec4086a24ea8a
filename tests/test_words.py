"""The page scan the permission matrix runs (tests/words.py) finds what it should."""

from tests.words import leaks


def test_an_untranslated_message_id_and_an_internal_code_are_found():
    page = (
        '<p>Mark all read</p><input placeholder="Name or credit code…">'
        "<li>esign: 同意</li><td>contract.legal_review</td><script>var a = 'Mark all read'</script>"
    )
    found = leaks(page)
    assert "untranslated 'Mark all read'" in found
    assert "untranslated 'Name or credit code…'" in found
    assert any("'esign:'" in f for f in found)
    assert any("contract.legal_review" in f for f in found)
    assert len(found) == 4  # the script is not text


def test_a_chinese_page_and_an_administrators_hint_pass():
    assert leaks("<p>全部标为已读</p><a href='/x'>MDSS</a>") == []
    assert leaks("<small>contract.legal_review</small>", codes=False) == []


def test_a_message_id_missing_from_the_catalogue_is_caught_when_rendered_in_chinese():
    from django.template import engines
    from django.utils import translation

    from tests.words import missing_translations

    template = engines["django"].from_string(
        "{% load i18n %}{% translate 'Mark all read' %}"
        "{% translate 'A sentence nobody translated' %}{% translate 'MDSS' %}"
        "{% blocktranslate count n=2 %}{{ n }} orphan{% plural %}{{ n }} orphans"
        "{% endblocktranslate %}"
    )
    with translation.override("zh-hans"), missing_translations() as missed:
        page = template.render({})
    assert "全部标为已读" in page
    assert missed == {"A sentence nobody translated", "%(n)s orphan"}
    with translation.override("en"), missing_translations() as missed:
        template.render({})
    assert missed == set()  # English pages are English on purpose
