"""Missed deadlines after a sweep: each request's timeline records its own, and each
dispatcher gets one message per sweep (service/breaches.py)."""

from datetime import timedelta

import pytest

from mdss.accounts import roles
from mdss.accounts.tests.factories import UserFactory
from mdss.audit.models import AuditEvent
from mdss.calendars.selectors import clocks_for
from mdss.core.testing import sql_of
from mdss.notifications.models import Notification
from mdss.service import breaches

from .conftest import log_call


@pytest.fixture
def zhejiang_dispatcher(service_dept, hospital):
    """A dispatcher whose area is Hangzhou, a city of the hospital's province."""
    person = UserFactory(
        username="zj-dispatcher", full_name="浙江调度", department=service_dept,
        roles=[roles.SERVICE_MANAGER],
    )  # fmt: skip
    person.regions.add(hospital.region)
    return person


def _messages(person):
    return list(
        Notification.objects.filter(recipient=person, kind="service.breach", channel="in_app")
    )


def _calls(actor, hospital, device, n):
    return [log_call(actor, hospital, device, symptom=f"故障 {i}") for i in range(n)]


def _breaches(calls):
    return [
        (call.pk, clocks_for(call).select_related("target").get(code="service.contact"))
        for call in calls
    ]


def test_a_backlog_is_one_message_per_dispatcher_and_an_event_per_request(
    service_manager, zhejiang_dispatcher, hospital, device, reference_data,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from mdss.calendars.services import clock_sweep

    calls = _calls(service_manager, hospital, device, 3)
    with django_capture_on_commit_callbacks(execute=True):
        clock_sweep(now=calls[-1].reported_at + timedelta(hours=2))
    for call in calls:
        assert AuditEvent.objects.filter(
            action="service.deadline_missed", object_id=str(call.pk)
        ).count() == 1  # fmt: skip
    [message] = _messages(zhejiang_dispatcher)
    assert message.subject == "3 个服务请求已超时" and message.link == "/service/"
    assert all(call.number in message.body for call in calls)
    # The province has its own dispatcher: the others are not disturbed.
    assert not _messages(service_manager)


def test_one_missed_request_is_named_in_the_subject(
    service_manager, hospital, device, reference_data
):
    [call] = _calls(service_manager, hospital, device, 1)
    breaches.requests_missed_deadlines(_breaches([call]))
    # Nobody covers the province: every dispatcher hears of it.
    [message] = _messages(service_manager)
    assert call.number in message.subject and message.link == f"/service/{call.pk}/"


def test_the_queries_do_not_grow_with_the_backlog(
    service_manager, zhejiang_dispatcher, hospital, device, reference_data
):
    calls = _calls(service_manager, hospital, device, 7)
    few, many = _breaches(calls[:2]), _breaches(calls[2:])
    two = sql_of(lambda: breaches.requests_missed_deadlines(few))
    five = sql_of(lambda: breaches.requests_missed_deadlines(many))
    assert len(two) == len(five)
    assert AuditEvent.objects.filter(action="service.deadline_missed").count() == 7


def test_a_long_backlog_lists_the_first_requests_and_counts_the_rest(
    service_manager, hospital, device, reference_data, monkeypatch
):
    monkeypatch.setattr(breaches, "DIGEST_LINES", 2)
    calls = _calls(service_manager, hospital, device, 5)
    breaches.requests_missed_deadlines(_breaches(calls))
    [message] = _messages(service_manager)
    assert message.body.count("•") == 2 and message.body.splitlines()[-1] == "……另有 3 项。"
    assert calls[0].number in message.body and calls[4].number not in message.body
