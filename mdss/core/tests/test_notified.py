"""Answers kept per database session until PostgreSQL notifies a change
(core/notified.py). The end-to-end cases, with a second connection committing the
change, are the kept bearer tokens' (accounts/tests/test_kept_tokens.py)."""

from mdss.core.notified import Notified, _Session


class _Notify:
    def __init__(self, channel):
        self.channel = channel


def _always(monkeypatch, notified):
    session = _Session(notified.channel)
    monkeypatch.setattr(notified, "_usable", lambda connection: session)
    return session


def test_an_answer_read_while_a_change_was_notified_is_not_kept(monkeypatch):
    """A change committed during the read itself: its notification empties the cache
    while the answer is on its way; that answer must not be kept after it."""
    notified = Notified("mdss_test")
    session = _always(monkeypatch, notified)
    reads = []

    def read_while_notified():
        reads.append(1)
        session.changed(_Notify("mdss_test"))
        return [("row",)]

    assert notified.lookup(None, "key", read_while_notified).rows == [("row",)]
    assert "key" not in session.kept
    assert notified.lookup(None, "key", lambda: [("row",)]).rows == [("row",)]
    assert notified.lookup(None, "key", lambda: reads.append(2) or [("new",)]).rows == [("row",)]
    assert reads == [1]


def test_only_its_own_channel_empties_a_cache_and_a_miss_is_never_kept(monkeypatch):
    notified = Notified("mdss_test")
    session = _always(monkeypatch, notified)
    notified.lookup(None, "key", lambda: [("row",)])
    session.changed(_Notify("mdss_other"))
    assert "key" in session.kept
    session.changed(_Notify("mdss_test"))
    assert session.kept == {}
    assert notified.lookup(None, "guess", lambda: []) is None
    assert "guess" not in session.kept


def test_a_full_cache_starts_again(monkeypatch):
    notified = Notified("mdss_test", limit=2)
    session = _always(monkeypatch, notified)
    for key in ("a", "b", "c"):
        notified.lookup(None, key, lambda key=key: [(key,)])
    assert list(session.kept) == ["c"]
