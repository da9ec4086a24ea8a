"""Regulated records: voided with a reason, never deleted, never changed in bulk."""

import pytest
from django.db import IntegrityError, connection, transaction

from mdss.audit import services
from mdss.audit.db import revoke_purge_permit
from mdss.audit.testing import assert_audited
from mdss.core.errors import Conflict, ValidationFailed
from tests.regulated_app.models import SampleRecord


@pytest.fixture
def record(db):
    return SampleRecord.objects.create(title="注册证 国械注准20213060001")


def test_voiding_keeps_the_row_with_who_when_and_why(record, quality):
    voided = services.void(obj=record, actor=quality, reason="录入错误，重复登记")
    assert voided.is_voided and voided.voided_by == quality
    assert SampleRecord.objects.filter(pk=record.pk).exists()
    assert list(SampleRecord.objects.active()) == []
    assert_audited("void", record, actor=quality, reason="录入错误，重复登记")


def test_voiding_needs_a_reason_and_happens_once(record, quality):
    with pytest.raises(ValidationFailed) as exc:
        services.void(obj=record, actor=quality, reason=" ")
    assert exc.value.errors[0].field == "reason"
    services.void(obj=record, actor=quality, reason="重复")
    with pytest.raises(Conflict):
        services.void(obj=record, actor=quality, reason="again")


def test_a_regulated_record_cannot_be_deleted_by_the_orm(record):
    with pytest.raises(Conflict):
        record.delete()
    with pytest.raises(Conflict):
        SampleRecord.objects.filter(pk=record.pk).delete()
    with pytest.raises(Conflict):
        SampleRecord.objects.update(title="x")


def test_the_database_refuses_a_raw_delete_of_a_regulated_table(record):
    revoke_purge_permit(connection)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM regulated_app_samplerecord")
    assert SampleRecord.objects.filter(pk=record.pk).exists()
