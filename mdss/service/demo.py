"""Demo service: two years of requests on the demo's installed base (the units the
contracts delivered, and units sold before go-live at hospitals in Zhejiang and
Jiangsu), most by phone, the rest on site, with realistic timings — a few contacts
late, a few visits after the 24 hours, some follow-ups late, a few poor ratings and
their improvement actions — and today's work in every state: calls waiting for
contact, jobs to dispatch, engineers on the way and on site (one waiting for
parts), results to confirm, follow-ups due, a cancellation and a reopening; preventive-maintenance plans for two models with
the PM visits now due.

Everything goes through the services with the historical times, so clocks, audit
and the device timelines agree (audit rows carry the time the demo was seeded).
陈刚 holds manufacturer certificates for the demo's models; 冯涛 has a failed
assessment still open (training's demo), so the dispatcher sends him with the
recorded override. Idempotent."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from mdss.accounts.models import User
from mdss.core.dates import local_today, local_tz
from mdss.customers.models import Customer
from mdss.devices.models import InstalledDevice

from . import services
from .choices import RequestStatus as S
from .models import ServiceRequest

SYMPTOMS = [
    ("开机无显示，电源指示灯不亮", "电源板保险丝熔断", "更换保险丝并检查电源板", "E-PWR"),
    ("血氧饱和度读数跳变", "血氧探头线缆老化", "更换血氧探头", "E-SPO2"),
    ("心电波形干扰大", "导联线屏蔽层破损", "更换导联线，重新接地", "E-ECG"),
    ("屏幕触摸失灵", "触摸屏排线松动", "重新固定排线并校准触摸屏", "E-TOUCH"),
    ("打印机卡纸", "打印头积灰", "清洁打印头和走纸通道", "E-PRN"),
    ("报警音不响", "扬声器损坏", "更换扬声器", "E-SPK"),
    ("电池续航不足半小时", "锂电池老化", "更换锂电池并做充放电校准", "E-BAT"),
    ("风扇噪音大", "散热风扇轴承磨损", "更换散热风扇", "E-FAN"),
]
GUIDANCE = [
    ("指导护士重新插拔导联线并重启设备", "重启后恢复正常"),
    ("指导调整报警限设置", "报警限已按科室要求调整"),
    ("指导更换打印纸卷方向", "打印恢复正常"),
    ("指导检查电源插座并更换插线板", "设备正常开机"),
    ("远程指导恢复出厂网络设置", "中央站重新连接成功"),
]
REPORTERS = [("李护士长", "13900001111"), ("王医生", "13900002222"), ("设备科 张工", "13900003333")]
# Units sold before go-live: (model code, customers' province, how many).
OLD_UNITS = [("PM-8000", "330000", 6), ("ECG-1206", "330000", 3), ("PM-9000", "320000", 4)]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), local_tz())


def _certify(trainer, engineer, models) -> None:
    from mdss.training.models import Certificate
    from mdss.training.services import certificate_save

    for model in models:
        certificate_save(
            actor=trainer,
            certificate=Certificate(
                user=engineer,
                kind="manufacturer",
                name=f"{model.product.name} {model.code} 维修认证",
                number=f"MFR-{model.code}-{engineer.employee_no}",
                issuer=model.product.manufacturer.name,
                model=model,
                issued_on=date(2024, 3, 1),
                valid_until=date(2029, 2, 28),
            ),
        )


def _old_units(manager, today) -> list:
    from mdss.catalog.models import ProductModel
    from mdss.devices import services as devices

    units = []
    models = {
        m.code: m for m in ProductModel.objects.filter(code__in=[c for c, _p, _n in OLD_UNITS])
    }
    for code, province, count in OLD_UNITS:
        if code not in models:
            continue
        customers = list(
            Customer.objects.filter(
                province__code=province, kind__in=["public_hospital", "private_hospital"]
            ).order_by("pk")[:3]
        )
        for n in range(count):
            if not customers:
                break
            units.append(
                devices.device_register(
                    actor=manager,
                    customer=customers[n % len(customers)],
                    model=models[code],
                    serial=f"GL-{code}-{province[:2]}{n:03d}",
                    origin="before_go_live",
                    site=["ICU", "急诊科", "心内科", "手术室"][n % 4],
                    delivered_on=today - timedelta(days=1100 + 30 * n),
                    warranty_until=today - timedelta(days=400 + 30 * n),
                    today=today,
                )
            )
    return units


class Demo:
    def __init__(self, users, today, rng):
        self.manager = users["wang.lei"]
        self.engineers = {"feng.tao": users["feng.tao"], "chen.gang": users["chen.gang"]}
        self.keeper = users["chu.yan"]
        self.today = today
        self.rng = rng

    def engineer_for(self, device):
        return self.engineers[
            "chen.gang" if device.customer.province.code == "330000" else "feng.tao"
        ]

    def dispatch(self, request, engineer, at):
        from mdss.training.selectors import is_qualified

        qualified = (
            request.device is None
            or is_qualified(
                engineer, request.device.model, timezone.localtime(at, local_tz()).date()
            ).ok
        )
        return services.request_dispatch(
            actor=self.manager, request=request, engineer=engineer, at=at,
            override_reason="" if qualified else "复训考核前由主管批准临时派工，陈刚在外地",
        )  # fmt: skip

    def log(self, device, reported, urgency="normal"):
        name, phone = self.rng.choice(REPORTERS)
        symptom = self.rng.choice(SYMPTOMS)
        request = services.request_create(
            actor=self.manager, customer=device.customer, device=device, channel="hotline",
            reporter_name=name, reporter_phone=phone, symptom=symptom[0], urgency=urgency,
            reported_at=reported, now=reported + timedelta(minutes=3),
        )  # fmt: skip
        request.demo_symptom = symptom
        return request

    def contacted(self, request, minutes):
        engineer = self.engineer_for(request.device)
        at = request.reported_at + timedelta(minutes=5)
        self.dispatch(request, engineer, at)
        services.request_contact(
            actor=engineer, request=request, note="已电话联系报修人",
            at=request.reported_at + timedelta(minutes=minutes),
        )  # fmt: skip
        return engineer

    def by_phone(self, request, engineer, minutes):
        at = request.reported_at + timedelta(minutes=minutes + 5)
        services.request_triage(actor=engineer, request=request, triage="simple", at=at)
        guidance, outcome = self.rng.choice(GUIDANCE)
        services.request_resolve_by_phone(
            actor=engineer, request=request, guidance=guidance, outcome=outcome,
            at=at + timedelta(minutes=20),
        )  # fmt: skip
        services.request_confirm(
            actor=engineer, request=request, accepted=True, method="verbal",
            signer_name=request.reporter_name, at=at + timedelta(minutes=25),
        )  # fmt: skip

    def on_site(self, request, engineer, minutes, arrive_hours, finish=True):
        at = request.reported_at + timedelta(minutes=minutes + 5)
        services.request_triage(actor=engineer, request=request, triage="complex", at=at)
        request.refresh_from_db()
        if request.status == S.TO_DISPATCH:
            self.dispatch(request, engineer, at + timedelta(minutes=10))
        arrive = at + timedelta(hours=arrive_hours)
        services.request_check_in(actor=engineer, request=request, at=arrive)
        if not finish:
            return
        _symptom, cause, method, code = request.demo_symptom
        services.request_repair_record(
            actor=engineer, request=request, fault_symptom=request.symptom, fault_cause=cause,
            fault_code=code, repair_method=method, labour_minutes=self.rng.choice([45, 60, 90, 120]),
            test_result="开机自检通过，各参数与模拟器比对正常", at=arrive + timedelta(hours=1),
        )  # fmt: skip
        done = arrive + timedelta(hours=2)
        services.request_complete(actor=engineer, request=request, at=done)
        services.request_confirm(
            actor=engineer, request=request, accepted=True, signer_name=request.reporter_name,
            signature_png=SIGNATURE, at=done + timedelta(minutes=5),
        )  # fmt: skip

    def follow_up(self, request, days_late=0, poor=False):
        request.refresh_from_db()
        due = _follow_up_due(request)
        # On the last day (or later); today's never in the future.
        at = min(
            due - timedelta(hours=6) + timedelta(days=days_late),
            timezone.now() - timedelta(minutes=30),
        )
        scores = (2, 3, 2) if poor else (self.rng.choice([4, 5]), 5, self.rng.choice([4, 5]))
        services.request_follow_up(
            actor=self.manager, request=request, attitude=scores[0], quality=scores[1],
            timeliness=scores[2], satisfied=not poor, contacted_person=request.reporter_name,
            comments="维修后两天又出现同样故障" if poor else "服务及时，态度很好", at=at,
        )  # fmt: skip
        return at


def _follow_up_due(request):
    from mdss.calendars.selectors import clocks_for

    return clocks_for(request).get(code="service.followup", status="running").due_at


# A 1×1 transparent PNG: the demo's drawn signatures.
SIGNATURE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f80f00000101000518d84e0000000049454e44ae426082"
)


def seed(*, stdout=None):
    if ServiceRequest.objects.exists():
        return []
    wanted = ["wang.lei", "feng.tao", "chen.gang", "chu.yan", "jiang.hua"]
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    if len(users) < len(wanted):
        return []
    today = local_today()
    rng = random.Random(17)
    with transaction.atomic():
        _old_units(users["wang.lei"], today)
        units = list(
            InstalledDevice.objects.filter(status="in_service")
            .select_related("customer__province", "model__product__manufacturer")
            .order_by("pk")
        )
        if not units:
            return []
        _certify(
            users["jiang.hua"],
            users["chen.gang"],
            sorted({u.model for u in units}, key=lambda m: m.pk),
        )
        demo = Demo(users, today, rng)
        from mdss.notifications.models import Notification
        from mdss.notifications.services import mark_read

        first = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        history = _history(demo, units, today, rng)
        # What the history told people was read long ago; today's messages are new.
        old = Notification.objects.filter(pk__gt=first, channel="in_app")
        for person in User.objects.filter(pk__in=old.values("recipient_id")):
            mark_read(
                user=person,
                notification_ids=list(old.filter(recipient=person).values_list("pk", flat=True)),
            )
        current = _today(demo, units, today)
        current += _preventive(users["wang.lei"], today)
    if stdout:
        stdout.write(f"service: {history + current} requests")
    return []  # seed() returns demo logins (none here)


def _history(demo, units, today, rng) -> int:
    """Two years of closed requests, each on a unit already delivered then."""
    made = 0
    for n in range(45):
        days_ago = 730 - n * 16 - rng.randint(0, 8)
        day = today - timedelta(days=days_ago)
        candidates = [u for u in units if u.delivered_on is None or u.delivered_on < day]
        if not candidates or days_ago < 12:
            continue
        device = rng.choice(candidates)
        reported = _at(day, rng.choice([8, 9, 10, 14, 15, 20, 23]), rng.choice([5, 20, 40]))
        request = demo.log(device, reported, urgency=rng.choice(["normal", "normal", "high"]))
        late = n % 9 == 4  # a few contacts after the hour
        engineer = demo.contacted(request, 75 if late else rng.randint(10, 50))
        if n % 3 == 0:
            demo.on_site(request, engineer, 40, 30 if n % 10 == 0 else rng.choice([3, 6, 20]))
        else:
            demo.by_phone(request, engineer, 40)
        poor = n % 12 == 5
        at = demo.follow_up(request, days_late=1 if n % 14 == 7 else 0, poor=poor)
        if poor:
            action = request.improvements.get()
            if n < 40:
                services.improvement_complete(
                    actor=demo.manager,
                    action=action,
                    result="已对工程师进行复训，并回访确认设备正常",
                )
        services.request_close(actor=demo.manager, request=request, at=at + timedelta(hours=2))
        made += 1
    return made


def _today(demo, units, today) -> int:
    """Today's work, one request in each state."""
    from mdss.inventory.models import Part, Warehouse

    now = timezone.now()
    pick = iter(units)
    # Waiting for contact: 冯涛's job (a customer of 孙丽), and one nobody has yet.
    waiting = demo.log(next(pick), now - timedelta(minutes=20), urgency="high")
    demo.dispatch(waiting, demo.engineers["feng.tao"], now - timedelta(minutes=15))
    demo.log(next(pick), now - timedelta(minutes=50), urgency="critical")
    # Contacted, to triage; phone guidance under way.
    contacted = demo.log(next(pick), now - timedelta(hours=2))
    demo.contacted(contacted, 30)
    guided = demo.log(next(pick), now - timedelta(hours=3))
    engineer = demo.contacted(guided, 20)
    services.request_triage(
        actor=engineer, request=guided, triage="simple", at=now - timedelta(hours=2)
    )
    # To dispatch (the on-site clock already past due: a breach), and on the way.
    unassigned = demo.log(next(pick), now - timedelta(hours=27), urgency="high")
    services.request_contact(
        actor=demo.manager, request=unassigned, at=now - timedelta(hours=26, minutes=30)
    )
    services.request_triage(
        actor=demo.manager, request=unassigned, triage="complex", at=now - timedelta(hours=26)
    )
    on_way = demo.log(next(pick), now - timedelta(hours=4))
    engineer = demo.contacted(on_way, 15)
    services.request_triage(
        actor=engineer, request=on_way, triage="complex", at=now - timedelta(hours=3)
    )
    on_way.refresh_from_db()
    if on_way.status == S.TO_DISPATCH:
        demo.dispatch(on_way, engineer, now - timedelta(hours=3))
    # On site, waiting for parts from the central warehouse.
    at_site = demo.log(next(pick), now - timedelta(hours=6))
    engineer = demo.contacted(at_site, 25)
    demo.on_site(at_site, engineer, 30, 2, finish=False)
    part = Part.objects.filter(models_served=at_site.device.model, tracking="none").first() or (
        Part.objects.filter(tracking="none").order_by("pk").first()
    )
    central = Warehouse.objects.filter(kind="central").first()
    if part and central:
        services.request_parts(
            actor=engineer, request=at_site, warehouse=central, lines=[(part, 1)],
            need_by=today + timedelta(days=1), today=today, note="客户设备停机，请尽快",
        )  # fmt: skip
    # Completed, waiting for the customer's confirmation (in the portal or by phone).
    done = demo.log(next(pick), now - timedelta(days=1, hours=3))
    engineer = demo.contacted(done, 20)
    services.request_triage(
        actor=engineer, request=done, triage="simple", at=now - timedelta(days=1, hours=2)
    )
    services.request_resolve_by_phone(
        actor=engineer, request=done, guidance="指导重新校准血压模块", outcome="读数恢复正常",
        at=now - timedelta(days=1, hours=1),
    )  # fmt: skip
    # Confirmed: the follow-up is due; followed up: to close.
    for extra in (0, 1):
        request = demo.log(next(pick), now - timedelta(days=2 + extra, hours=5))
        engineer = demo.contacted(request, 25)
        demo.on_site(request, engineer, 30, 4)
        if extra:  # a poor rating: an improvement action is open
            demo.follow_up(request, poor=True)
    # Cancelled: the same fault reported twice.
    twice = demo.log(next(pick), now - timedelta(hours=5))
    services.request_cancel(actor=demo.manager, request=twice, reason="同一故障重复报修")
    # Reopened: closed a week ago, the fault came back.
    again = demo.log(next(pick), now - timedelta(days=12))
    engineer = demo.contacted(again, 20)
    demo.by_phone(again, engineer, 30)
    at = demo.follow_up(again)
    services.request_close(actor=demo.manager, request=again, at=at + timedelta(hours=1))
    services.request_reopen(
        actor=demo.manager, request=again, reason="同样故障再次出现", now=now - timedelta(hours=1)
    )
    return 13


PM_PLANS = [
    (
        "PM-8000",
        6,
        "外观及附件检查\n电气安全测试（漏电流）\n血氧、无创血压模块校准\n报警功能测试\n电池充放电检查",
    ),
    ("ECG-1206", 12, "外观及导联线检查\n走纸与打印测试\n心电信号模拟器校验\n电气安全测试"),
]


def _preventive(manager, today) -> int:
    """Plans for two models, and the PM visits now due (for the dispatch board)."""
    from mdss.catalog.models import ProductModel
    from mdss.devices.pm import pm_plan_save

    models = {
        m.code: m for m in ProductModel.objects.filter(code__in=[c for c, _n, _l in PM_PLANS])
    }
    for code, months, checklist in PM_PLANS:
        if code in models:
            pm_plan_save(
                actor=manager, model=models[code], interval_months=months, checklist=checklist
            )
    from mdss.devices.pm import device_pm_done

    # Most units had their last PM on schedule (recorded before go-live); a few are due.
    units = InstalledDevice.objects.filter(model__in=models.values(), status="in_service")
    for n, unit in enumerate(units.order_by("pk")):
        if n % 4:
            device_pm_done(actor=manager, device=unit, on=today - timedelta(days=40 + 9 * n))
    return len(services.pm_requests_generate(today=today))
