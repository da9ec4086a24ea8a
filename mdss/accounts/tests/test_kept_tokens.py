"""Bearer tokens kept per database session (core/notified.py): no query for a
token already looked up, and every change that matters, made by another process,
reaches the session before its next request."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from mdss.accounts import roles, services
from mdss.accounts.models import ApiToken, User
from mdss.accounts.selectors import api_token_authenticate, hash_token
from mdss.core.testing import in_another_connection, next_request, on_postgres, sql_of


def _token_queries(action) -> list[str]:
    return [sql for sql in sql_of(action) if "accounts_apitoken" in sql]


@pytest.fixture
def token(transactional_db, rep):
    _token, raw = services.api_token_create(user=rep, name="erp", actor=rep)
    return raw


def _revoke(raw, rep):
    token = ApiToken.objects.get(token_hash=hash_token(raw))
    services.api_token_revoke(token=token, actor=rep)


CHANGES = {
    "revoked": lambda raw, rep: _revoke(raw, rep),
    "expired": lambda raw, rep: ApiToken.objects.filter(token_hash=hash_token(raw)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    ),
    "token deleted": lambda raw, rep: ApiToken.objects.filter(token_hash=hash_token(raw)).delete(),
    "user deactivated": lambda raw, rep: User.objects.filter(pk=rep.pk).update(is_active=False),
}


@on_postgres
def test_a_token_ended_by_another_process_is_refused_at_the_next_request(transactional_db, rep):
    # One token per change, the user's deactivation last (it ends them all).
    for change, end in CHANGES.items():
        _token, raw = services.api_token_create(user=rep, name=change, actor=rep)
        assert api_token_authenticate(raw) == rep
        in_another_connection(lambda end=end, raw=raw: end(raw, rep))
        next_request()
        assert api_token_authenticate(raw) is None, change


@on_postgres
def test_a_role_taken_away_by_another_process_is_gone_at_the_next_request(token, rep):
    assert api_token_authenticate(token).has_role(roles.SALES_REP)
    in_another_connection(lambda: User.objects.get(pk=rep.pk).groups.clear())
    next_request()
    assert not api_token_authenticate(token).has_role(roles.SALES_REP)


@on_postgres
def test_a_session_reads_a_token_once_and_use_recorded_elsewhere_keeps_it(token, rep):
    assert api_token_authenticate(token) == rep
    next_request()
    users = []
    assert _token_queries(lambda: users.append(api_token_authenticate(token))) == []
    assert users == [rep] and users[0].has_role(roles.SALES_REP)

    def use():
        ApiToken.objects.filter(user=rep).update(last_used_at=timezone.now())
        User.objects.filter(pk=rep.pk).update(last_login=timezone.now(), password_failures=2)

    in_another_connection(use)
    next_request()
    assert _token_queries(lambda: api_token_authenticate(token)) == []
    assert api_token_authenticate(token) == rep


def test_inside_a_transaction_the_token_is_always_read(rep):
    # Tests run inside one: this is every other test's case, asserted once.
    _token, raw = services.api_token_create(user=rep, name="erp", actor=rep)
    api_token_authenticate(raw)
    assert len(_token_queries(lambda: api_token_authenticate(raw))) == 1


@on_postgres
def test_a_kept_token_records_its_use_at_most_once_a_minute(token, rep):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        api_token_authenticate(token)  # first use: recorded
        first = ApiToken.objects.get(user=rep).last_used_at
        clock.shift(timedelta(seconds=30))
        next_request()
        assert _token_queries(lambda: api_token_authenticate(token)) == []
        clock.shift(timedelta(seconds=31))
        next_request()
        api_token_authenticate(token)
    assert ApiToken.objects.get(user=rep).last_used_at == first + timedelta(seconds=61)
