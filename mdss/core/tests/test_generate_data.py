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
