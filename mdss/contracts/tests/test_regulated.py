"""The sales and traceability record is never deleted: the database refuses it, and an
amendment supersedes rows instead."""

import pytest
from django.db import IntegrityError, connection, transaction

from mdss.audit.db import revoke_purge_permit


def _raw(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "table", ["contracts_contractline", "contracts_payment", "devices_installeddevice"]
)
def test_the_database_refuses_deleting_sales_and_traceability_rows(table, signed, rep):
    from mdss.contracts.tests.conftest import deliver

    deliver(signed, rep, 1, units=["SN-T1"])
    from mdss.contracts import services as contracts

    contracts.payment_record(
        actor=rep,
        contract=signed,
        received_on=signed.signed_on,
        amount="1000.00",
        today=signed.signed_on,
    )
    revoke_purge_permit(connection)
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(f"DELETE FROM {table}")  # noqa: S608 (a fixed table name)


@pytest.mark.django_db
def test_an_amendment_supersedes_lines_and_instalments_instead_of_deleting(
    signed, rep, legal, monitor
):
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from mdss.contracts import services as contracts
    from mdss.contracts.models import ContractLine, Instalment
    from mdss.contracts.tests.conftest import PASSWORD as CONTRACT_PASSWORD
    from mdss.contracts.tests.conftest import TODAY

    contracts.instalments_set(
        actor=rep, contract=signed, rows=[(TODAY, Decimal("380000.00"), "全款")]
    )
    old_line = signed.lines.get()
    old_plan = signed.instalments.get()
    amendment = contracts.amendment_create(
        actor=rep,
        contract=signed,
        reason="改为新型号",
        line_changes=[{"line": old_line.pk, "quantity": 0}],
        new_lines=[{"model": monitor.pk, "quantity": 5, "unit_price": "38000.00"}],
        instalments=[[TODAY.isoformat(), "190000.00", "全款"]],
    )
    contracts.amendment_submit(actor=rep, amendment=amendment, today=TODAY)
    contracts.amendment_approve(actor=legal, amendment=amendment, password=CONTRACT_PASSWORD)
    contracts.amendment_sign(
        actor=rep,
        amendment=amendment,
        signed_on=TODAY,
        scan=SimpleUploadedFile("bg.pdf", b"%PDF-1.4 x"),
        today=TODAY,
    )
    assert [line.quantity for line in signed.lines.all()] == [5]
    kept = ContractLine.all_objects.get(pk=old_line.pk)
    assert kept.superseded_by == amendment and kept.quantity == 10
    assert Instalment.all_objects.get(pk=old_plan.pk).superseded_by == amendment
    assert [i.amount for i in signed.instalments.all()] == [Decimal("190000.00")]


def test_verify_files_finds_an_annex_changed_on_disk(draft, rep, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import CommandError, call_command

    from mdss.contracts import services

    settings.MEDIA_ROOT = tmp_path
    annex = services.attachment_add(
        actor=rep,
        contract=draft,
        title="技术参数",
        file=SimpleUploadedFile("spec.pdf", b"%PDF-1.4 spec"),
    )
    call_command("verify_files")
    (tmp_path / annex.file.name).write_bytes(b"%PDF-1.4 swapped")
    with pytest.raises(CommandError, match="changed file"):
        call_command("verify_files")
