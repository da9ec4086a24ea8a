import io

from django.core.management import call_command

from mdss.accounts.models import User
from mdss.calendars.models import SlaClock


def test_generate_data_scales_and_repeats_safely(db):
    call_command("generate_data", "--scale", "1", stdout=io.StringIO())
    assert User.objects.filter(username__startswith="gen-").count() == 50
    assert SlaClock.objects.filter(subject_repr__startswith="gen-").count() == 300
    call_command("generate_data", "--scale", "1", stdout=io.StringIO())
    assert User.objects.filter(username__startswith="gen-").count() == 50
    call_command("generate_data", "--scale", "2", stdout=io.StringIO())
    assert User.objects.filter(username__startswith="gen-").count() == 100
    assert SlaClock.objects.filter(subject_repr__startswith="gen-").count() == 600
    from mdss.catalog.models import ProductModel

    assert ProductModel.objects.filter(product__name__startswith="gen-").count() == 200

    from mdss.inventory.models import Part, StockMove
    from mdss.inventory.services import reconcile

    assert Part.objects.filter(number__startswith="GEN-").count() == 1000
    assert StockMove.objects.filter(reference="GEN").count() == 500 * 10 + 500 * 20
    assert reconcile() == []
    from mdss.calendars.selectors import clocks_for
    from mdss.complaints.models import Complaint

    generated = Complaint.objects.filter(number__startswith="TS-G")
    assert generated.count() == 4000
    waiting = generated.filter(status="new").first()
    running = clocks_for(waiting).filter(status="running").order_by("due_at").first()
    assert waiting.due_at == running.due_at and waiting.handler.has_role("quality")

    # The installed base carries lots, DIs and UDIs, many units a lot; about half of the
    # delivered lines brought a unit, linked to its delivery (what the trace joins).
    from django.db.models import Count

    from mdss.catalog.udi import parse_udi
    from mdss.contracts.models import DeliveredUnit, DeliveryItem
    from mdss.devices.models import InstalledDevice

    units = InstalledDevice.objects.filter(serial__startswith="GEN-")
    assert units.exclude(origin="delivered").count() == 2000
    delivered = units.filter(origin="delivered")
    lines = DeliveryItem.objects.filter(delivery__number__startswith="FH-GEN-").count()
    assert 30_000 < lines < 50_000  # about 20,000 per unit of scale
    assert 0.35 * lines < delivered.count() < 0.55 * lines
    assert DeliveredUnit.objects.filter(device__in=delivered).count() == delivered.count()
    assert not units.filter(lot="").exists() and not units.filter(di="").exists()
    per_lot = units.values("lot").annotate(n=Count("pk")).order_by("-n")
    assert 20 < units.count() / per_lot.count() < 80
    unit = delivered.select_related("delivered_unit__delivery_item__line").first()
    assert unit.delivered_unit.delivery_item.line.model_id == unit.model_id
    scanned = parse_udi(unit.udi)
    assert scanned.ok and (scanned.di, scanned.lot, scanned.serial) == (
        unit.di,
        unit.lot,
        unit.serial,
    )
    from mdss.service.models import FollowUp, ServiceRequest, Visit

    requests = ServiceRequest.objects.filter(number__startswith="FW-G")
    closed = requests.filter(status="closed")
    assert FollowUp.objects.filter(request__in=requests).count() == closed.count() > 0
    done = requests.filter(status__in=("completed", "closed"))
    assert (
        Visit.objects.filter(request__in=done).values("request").distinct().count() == done.count()
    )
