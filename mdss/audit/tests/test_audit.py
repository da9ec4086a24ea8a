import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from mdss.audit import esign, services
from mdss.audit.db import revoke_purge_permit
from mdss.audit.models import AuditEvent, ESignature
from mdss.audit.testing import assert_audited
from mdss.audit.verify import verify_chain
from mdss.core.errors import Conflict, ValidationFailed


def test_events_are_chained(rep):
    first = services.record(actor=rep, action="demo.created", obj=rep)
    second = services.record(actor=None, action="demo.swept")
    assert first.prev_hash == services.GENESIS
    assert second.prev_hash == first.hash
    assert second.actor_name == "system"
    assert verify_chain().ok and verify_chain().checked == 2


def test_record_keeps_who_what_why_and_the_request_id(rep):
    from mdss.core.request_context import clear_request_id, new_request_id

    new_request_id("req-42")
    try:
        services.record(
            actor=rep,
            action="demo.approved",
            obj=rep,
            reason="looks right",
            changes={"status": {"before": "draft", "after": "approved"}},
        )
    finally:
        clear_request_id()
    event = assert_audited("demo.approved", rep, actor=rep, reason="looks right")
    assert event.request_id == "req-42"
    assert event.actor_name == "孙代表"
    assert event.changes["status"]["after"] == "approved"


def test_assert_audited_fails_when_nothing_was_recorded(rep):
    with pytest.raises(AssertionError):
        assert_audited("demo.never", rep)


def test_record_changes_stores_the_field_diff_and_skips_no_ops(rep):
    before = services.snapshot(rep, ["full_name", "phone"])
    assert services.record_changes(actor=rep, obj=rep, before=before) is None
    rep.phone = "13912345678"
    event = services.record_changes(actor=rep, obj=rep, before=before)
    assert event.changes == {"phone": {"before": "", "after": "13912345678"}}


def test_verify_audit_passes_on_an_intact_chain(rep, capsys):
    services.record(actor=rep, action="demo.one")
    call_command("verify_audit")
    assert "intact: 1 events" in capsys.readouterr().out


def test_verify_audit_names_a_row_altered_with_raw_sql(rep):
    services.record(actor=rep, action="demo.one")
    target = services.record(actor=rep, action="demo.two", reason="original")
    services.record(actor=rep, action="demo.three")
    # The test database holds a purge permit, so the trigger stands aside here.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'forged' WHERE id = %s", [target.pk])
    with pytest.raises(CommandError, match=f"#{target.pk}"):
        call_command("verify_audit")
    assert verify_chain().broken_id == target.pk


def test_verify_audit_names_the_row_after_a_removed_one(rep):
    services.record(actor=rep, action="demo.one")
    removed = services.record(actor=rep, action="demo.two")
    after = services.record(actor=rep, action="demo.three")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [removed.pk])
    assert verify_chain().broken_id == after.pk


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET reason = 'x'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_update_and_delete_of_audit_rows(rep, statement):
    services.record(actor=rep, action="demo.one")
    revoke_purge_permit(connection)  # as in production (rolled back after the test)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.filter(action="demo.one").exists()


def test_the_database_refuses_deleting_an_esignature(rep):
    signature = esign.sign(
        signer=rep,
        password="correct-horse-battery-staple",
        meaning="approved",
        obj=rep,
        content={"a": 1},
    )
    revoke_purge_permit(connection)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_esignature WHERE id = %s", [signature.pk])


def test_regulated_querysets_refuse_bulk_update_and_delete(rep):
    services.record(actor=rep, action="demo.one")
    with pytest.raises(Conflict):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(Conflict):
        AuditEvent.objects.all().delete()
    with pytest.raises(Conflict):
        AuditEvent.objects.first().delete()


class TestESignature:
    content = {"contract": "HT-2026-000001", "total": "12000.00", "lines": [["超声", 1]]}

    def test_signing_needs_the_signers_password(self, legal):
        with pytest.raises(ValidationFailed) as exc:
            esign.sign(
                signer=legal,
                password="wrong",
                meaning="legal approval",
                obj=legal,
                content=self.content,
            )
        assert exc.value.errors[0].field == "password"
        assert not ESignature.objects.exists()

    def test_a_signature_keeps_name_time_meaning_and_is_audited(self, legal):
        signature = esign.sign(
            signer=legal,
            password="correct-horse-battery-staple",
            meaning="legal approval",
            obj=legal,
            content=self.content,
        )
        assert signature.signer_name == "郑法务"
        assert signature.meaning == "legal approval"
        assert signature.signed_at is not None
        assert_audited("esign", legal, actor=legal, meaning="legal approval")

    def test_a_change_of_the_signed_content_is_detected(self, legal):
        signature = esign.sign(
            signer=legal,
            password="correct-horse-battery-staple",
            meaning="legal approval",
            obj=legal,
            content=self.content,
        )
        assert esign.verify(signature, dict(self.content))
        changed = {**self.content, "total": "12000.01"}
        assert not esign.verify(signature, changed)


def test_verify_audit_passes_on_a_demo_database_and_finds_a_planted_change(db, capsys):
    from mdss.accounts.models import User
    from mdss.calendars import services as calendars
    from mdss.core.reference import load_reference_data

    load_reference_data()
    call_command("seed_demo", "--quiet", "--force")
    engineer = User.objects.get(username="feng.tao")
    clock = calendars.clock_start(subject=engineer, code="service.contact", responsible=engineer)
    calendars.clock_stop(clock=clock, actor=engineer)
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out
    planted = AuditEvent.objects.filter(action="sla.met", object_id=str(clock.pk)).get()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_name = 'someone else' WHERE id = %s", [planted.pk]
        )
    with pytest.raises(CommandError, match=f"#{planted.pk}"):
        call_command("verify_audit")


def test_save_with_diff_audits_the_stored_values_against_the_saved_ones(rep):
    from mdss.customers.models import Contact
    from mdss.customers.tests.factories import CustomerFactory

    contact = Contact(customer=CustomerFactory(owner=rep), name="王主任", mobile="13800000000")
    before = services.stored_values(contact, ["name", "mobile"])
    assert before == {"name": None, "mobile": None}
    services.save_with_diff(actor=rep, obj=contact, before=before, action="test.contact_saved")
    created = AuditEvent.objects.filter(action="test.contact_saved").get()
    assert created.changes["name"] == {"before": None, "after": "王主任"}

    contact.name = "王科长"  # the form's value; the stored row still says 王主任
    before = services.stored_values(contact, ["name", "mobile"])
    assert before == {"name": "王主任", "mobile": "13800000000"}
    services.save_with_diff(actor=rep, obj=contact, before=before, action="update")
    changed = AuditEvent.objects.filter(action="update").get()
    assert changed.changes == {"name": {"before": "王主任", "after": "王科长"}}
    # Nothing changed: no event for a plain update.
    services.save_with_diff(
        actor=rep, obj=contact, before=services.stored_values(contact, ["name"]), action="update"
    )
    assert AuditEvent.objects.filter(action="update").count() == 1


def test_a_batch_writes_its_events_in_one_insert_and_the_chain_holds(
    rep, django_assert_num_queries
):
    before = services.record(actor=rep, action="demo.before")
    heads = 0 if connection.vendor == "postgresql" else 1  # SQLite reads its head once
    with django_assert_num_queries(1 + heads), services.batch():
        first = services.record(actor=rep, action="demo.first")
        second = services.record(actor=rep, action="demo.second")
        assert first.pk is None  # written when the batch ends
    assert first.prev_hash == before.hash and second.prev_hash == first.hash
    assert [e.pk for e in AuditEvent.objects.order_by("pk")] == [before.pk, first.pk, second.pk]
    after = services.record(actor=rep, action="demo.after")
    assert after.prev_hash == second.hash
    assert verify_chain().ok and verify_chain().checked == 4


def test_an_error_in_a_batch_leaves_the_callers_transaction_to_roll_back(rep):
    with transaction.atomic():
        with pytest.raises(RuntimeError), services.batch():
            services.record(actor=rep, action="demo.lost")
            raise RuntimeError
        # A caller that goes on cannot commit changes whose events were never written.
        assert transaction.get_rollback()
    assert not AuditEvent.objects.filter(action="demo.lost").exists()
    assert services.record(actor=rep, action="demo.next").prev_hash == services.GENESIS
