"""The outbox: written in the caller's transaction, delivered once, retried on failure."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone

from mdss.notifications import services
from mdss.notifications.choices import Channel, DeliveryStatus
from mdss.notifications.models import Notification


class Robot:
    """A local stand-in for a WeCom/DingTalk group robot: records posts, can fail."""

    def __init__(self, fail_first: int = 0):
        self.received: list[dict] = []
        self.fail_first = fail_first
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if robot.fail_first > 0:
                    robot.fail_first -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                robot.received.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot(settings):
    with Robot() as robot:
        settings.MDSS_WEBHOOK_URL = robot.url
        yield robot


def test_a_webhook_reaches_the_group_robot(robot, engineer):
    rows = services.notify(
        recipient=engineer,
        kind="sla.breach",
        subject="2 个期限已超时",
        body="• 某医院 超声",
        link="/calendars/clocks/",
        webhook=True,
    )
    webhook = next(r for r in rows if r.channel == Channel.WEBHOOK)
    assert services.deliver_one(webhook.pk) == DeliveryStatus.SENT
    assert robot.received == [
        {"msgtype": "markdown", "markdown": {"content": robot.received[0]["markdown"]["content"]}}
    ]
    assert "2 个期限已超时" in robot.received[0]["markdown"]["content"]
    assert Notification.objects.get(pk=webhook.pk).status == DeliveryStatus.SENT


def test_dingtalk_flavour_has_a_title(robot, settings, engineer):
    settings.MDSS_WEBHOOK_FLAVOR = "dingtalk"
    (row,) = services.notify(
        recipient=engineer, kind="x", subject="标题", channels=[Channel.WEBHOOK]
    )
    services.deliver_one(row.pk)
    assert robot.received[0]["markdown"]["title"] == "标题"


def test_email_goes_out_through_djangos_backend(engineer):
    rows = services.notify(
        recipient=engineer, kind="sla.warning", subject="期限将到", body="请处理"
    )
    assert {r.channel for r in rows} == {Channel.IN_APP, Channel.EMAIL}
    services.deliver_due()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [engineer.email]


def test_in_app_messages_are_there_at_once(engineer):
    (row,) = services.notify(
        recipient=engineer, kind="x", subject="hello", channels=[Channel.IN_APP]
    )
    assert row.status == DeliveryStatus.SENT


def test_a_rolled_back_change_notifies_nobody(engineer):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(recipient=engineer, kind="x", subject="never")
        raise RuntimeError
    assert not Notification.objects.exists()


def test_a_failing_endpoint_is_retried_with_backoff(settings, engineer, time_machine):
    with Robot(fail_first=2) as robot:
        settings.MDSS_WEBHOOK_URL = robot.url
        (row,) = services.notify(
            recipient=engineer, kind="x", subject="retry me", channels=[Channel.WEBHOOK]
        )
        assert services.deliver_one(row.pk) == "retry"
        row.refresh_from_db()
        assert row.status == DeliveryStatus.PENDING and row.attempts == 1
        assert row.next_attempt_at > timezone.now()
        assert services.deliver_due() == {}  # not due yet
        time_machine.move_to(timezone.now() + timedelta(minutes=1, seconds=1))
        assert services.deliver_due() == {"retry": 1}
        time_machine.move_to(timezone.now() + timedelta(minutes=2, seconds=1))
        assert services.deliver_due() == {DeliveryStatus.SENT: 1}
        assert len(robot.received) == 1
        row.refresh_from_db()
        assert row.attempts == 3 and row.status == DeliveryStatus.SENT


def test_a_row_that_keeps_failing_ends_failed_and_can_be_requeued(settings, engineer, admin_user):
    settings.MDSS_WEBHOOK_URL = "http://127.0.0.1:9/unreachable"
    (row,) = services.notify(
        recipient=engineer, kind="x", subject="dead", channels=[Channel.WEBHOOK]
    )
    for _ in range(6):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        services.deliver_due()
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED and row.attempts == 6 and row.last_error
    services.requeue(notification=row, actor=admin_user)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.PENDING


def test_a_claimed_row_cannot_be_claimed_again(engineer):
    (row,) = services.notify(recipient=engineer, kind="x", subject="once", channels=[Channel.EMAIL])
    assert services.claim(row.pk, "worker-a") is True
    assert services.claim(row.pk, "worker-b") is False
    assert services.deliver_one(row.pk, "worker-b") == "skipped"


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_deliver_the_same_row(robot, engineer, monkeypatch):
    # No delivery on commit: the rows wait for the two workers below.
    monkeypatch.setattr(services, "_schedule_delivery", lambda: None)
    for n in range(40):
        services.notify(recipient=engineer, kind="x", subject=f"m{n}", channels=[Channel.WEBHOOK])
    barrier = threading.Barrier(2)
    outcomes: list[dict] = []

    def work(name):
        try:
            barrier.wait()
            outcomes.append(services.deliver_due(worker=name))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    subjects = [m["markdown"]["content"].split("**")[1] for m in robot.received]
    assert sorted(subjects) == sorted(f"m{n}" for n in range(40))  # each exactly once
    assert sum(o.get(DeliveryStatus.SENT, 0) for o in outcomes) == 40
    assert Notification.objects.filter(status=DeliveryStatus.SENT).count() == 40


def test_a_row_interrupted_mid_delivery_is_failed_not_resent(engineer, time_machine):
    (row,) = services.notify(
        recipient=engineer, kind="x", subject="crash", channels=[Channel.EMAIL]
    )
    services.claim(row.pk, "dead-worker")
    time_machine.move_to(timezone.now() + timedelta(minutes=16))
    services.deliver_due()
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED and "interrupted" in row.last_error
    assert len(mail.outbox) == 0


def test_dedupe_key_queues_a_reminder_once(engineer):
    services.notify(recipient=engineer, kind="x", subject="a", dedupe_key="k1")
    services.notify(recipient=engineer, kind="x", subject="a", dedupe_key="k1")
    assert Notification.objects.filter(channel=Channel.IN_APP).count() == 1


@pytest.mark.django_db
def test_notify_many_writes_one_insert_whatever_the_number(django_assert_max_num_queries):
    from mdss.accounts.tests.factories import UserFactory

    people = [UserFactory(email=f"p{n}@example.com" if n % 2 else "") for n in range(30)]
    with django_assert_max_num_queries(2):
        rows = services.notify_many(people, kind="k", subject="待审核", link="/x/")
    assert Notification.objects.filter(channel=Channel.IN_APP, kind="k").count() == 30
    pending = Notification.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.PENDING)
    assert pending.count() == 15 == sum(r.channel == Channel.EMAIL for r in rows)


def test_an_interrupted_send_is_told_to_the_administrators(engineer, admin_user, time_machine):
    (row,) = services.notify(
        recipient=engineer, kind="x", subject="工单提醒", channels=[Channel.EMAIL]
    )
    services.claim(row.pk, "dead-worker")
    time_machine.move_to(timezone.now() + timedelta(minutes=16))
    services.deliver_due()
    alert = Notification.objects.get(
        recipient=admin_user, kind="notifications.interrupted", channel=Channel.IN_APP
    )
    assert "工单提醒" in alert.body and f"#{row.pk}" in alert.body
    services.deliver_due()  # told once, not at every run
    assert (
        Notification.objects.filter(
            kind="notifications.interrupted", channel=Channel.IN_APP
        ).count()
        == 1
    )


def test_smtp_gives_up_instead_of_hanging(settings):
    from django.core.mail import get_connection

    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 15
