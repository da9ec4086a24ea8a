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
