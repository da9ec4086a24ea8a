"""The audit trail survives someone who owns the database: keyed chain, anchored head,
e-signatures in the chain, every regulated table protected, TRUNCATE refused."""

import hashlib
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, ProgrammingError, connection, transaction

from mdss.audit import checkpoint, esign, services
from mdss.audit.db import revoke_purge_permit, triggers_on
from mdss.audit.models import AuditEvent, ESignature
from mdss.audit.regulated import APPEND_ONLY, EXEMPT, REGULATED, protected_tables
from mdss.audit.verify import verify_all, verify_chain

PASSWORD = "correct-horse-battery-staple"


def _raw(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_every_table_is_regulated_or_exempt():
    declared = {**APPEND_ONLY, **REGULATED, **EXEMPT}
    assert not set(APPEND_ONLY) & set(REGULATED)
    assert not (set(APPEND_ONLY) | set(REGULATED)) & set(EXEMPT)
    undecided = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith(("mdss.", "tests."))
        and model._meta.label not in declared
        and not model._meta.auto_created
    ]
    assert not undecided, f"declare these in mdss/audit/regulated.py: {undecided}"
    assert all(reason.strip() for reason in EXEMPT.values())


@pytest.mark.django_db
def test_every_regulated_table_carries_its_triggers():
    for table, append_only in protected_tables().items():
        names = triggers_on(connection, table)
        if connection.vendor == "postgresql":
            assert {f"{table}_refuse_change", f"{table}_refuse_truncate"} <= names, table
        else:
            assert f"{table}_refuse_delete" in names, table
            assert (f"{table}_refuse_update" in names) == append_only, table


@pytest.mark.django_db
@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(rep):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite's DELETE fires the row triggers")
    services.record(actor=rep, action="demo.one")
    revoke_purge_permit(connection)
    _raw("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred FK check
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw("TRUNCATE audit_auditevent, audit_esignature CASCADE")
    assert AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_forged_event_with_every_later_hash_recomputed_fails_without_the_key(rep):
    services.record(actor=rep, action="demo.one")
    target = services.record(actor=rep, action="demo.two", reason="original")
    after = services.record(actor=rep, action="demo.three")
    # The forger rewrites the event and re-chains with SHA-256: the hashes link, but
    # they are not HMACs under the audit key.
    prev = target.prev_hash
    for event in AuditEvent.objects.filter(id__gte=target.pk).order_by("id"):
        if event.pk == target.pk:
            event.reason = "forged"
        event.prev_hash = prev
        event.hash = services.legacy_hash(event)
        _raw(
            "UPDATE audit_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.reason, event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash
    report = verify_chain()
    assert report.broken_id == target.pk
    assert after.pk > target.pk


@pytest.mark.django_db
def test_the_chain_depends_on_the_key(rep, settings):
    services.record(actor=rep, action="demo.one")
    assert verify_chain().ok
    settings.MDSS_AUDIT_KEY = "another-key"
    assert not verify_chain().ok


@pytest.mark.django_db
def test_events_written_before_the_key_are_accepted_only_at_the_beginning(rep, monkeypatch):
    legacy = AuditEvent(
        occurred_at=AuditEvent._meta.get_field("occurred_at").default(),
        actor_name="system",
        action="demo.legacy",
        prev_hash=services.GENESIS,
    )
    legacy.hash = services.legacy_hash(legacy)
    legacy.save(force_insert=True)
    # Those rows were written before this session: it appends after the head it reads.
    monkeypatch.setattr(services, "_take_stream", lambda: (0, services._head(0)))
    services.record(actor=rep, action="demo.keyed")
    assert verify_chain().ok and verify_chain().checked == 2
    # An unkeyed event after a keyed one is a forgery.
    late = AuditEvent(
        occurred_at=legacy.occurred_at,
        actor_name="system",
        action="demo.late",
        prev_hash=AuditEvent.objects.order_by("-id").first().hash,
    )
    late.hash = services.legacy_hash(late)
    late.save(force_insert=True)
    assert verify_chain().broken_id == late.pk


@pytest.mark.django_db
def test_a_shortened_chain_fails_against_the_checkpoint(rep, tmp_path, settings):
    settings.MDSS_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    for n in range(4):
        services.record(actor=rep, action=f"demo.{n}")
    entry = checkpoint.write()
    assert verify_all().ok
    _raw("DELETE FROM audit_auditevent WHERE id > %s", [entry["last_id"] - 2])
    report = verify_all()
    assert not report.ok
    assert f"#{entry['last_id']} is missing" in report.problems[0]
    with pytest.raises(CommandError, match="shortened or emptied"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_an_emptied_table_fails_against_the_checkpoint(rep, tmp_path, settings):
    settings.MDSS_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    services.record(actor=rep, action="demo.one")
    call_command("audit_checkpoint")
    _raw("DELETE FROM audit_auditevent")
    report = verify_all()
    assert report.checked == 0 and not report.ok


@pytest.mark.django_db
def test_an_edited_checkpoint_line_is_reported(rep, tmp_path, settings):
    path = tmp_path / "checkpoints.jsonl"
    settings.MDSS_AUDIT_CHECKPOINT_FILE = path
    services.record(actor=rep, action="demo.one")
    checkpoint.write()
    entry = json.loads(path.read_text())
    entry["count"] = 0
    path.write_text(json.dumps(entry) + "\n")
    assert "line 1 does not match its MAC" in verify_all().problems[0]


@pytest.mark.django_db
class TestSignaturesInTheChain:
    def _sign(self, legal):
        return esign.sign(
            signer=legal, password=PASSWORD, meaning="legal approval", obj=legal, content={"a": 1}
        )

    def test_an_intact_signature_verifies(self, legal):
        self._sign(legal)
        assert verify_all().ok

    def test_an_altered_signature_is_named(self, legal):
        signature = self._sign(legal)
        forged = hashlib.sha256(b"other content").hexdigest()
        _raw("UPDATE audit_esignature SET content_hash = %s WHERE id = %s", [forged, signature.pk])
        assert f"e-signature #{signature.pk} differs" in " ".join(verify_all().problems)

    def test_a_removed_signature_is_named(self, legal):
        signature = self._sign(legal)
        _raw("DELETE FROM audit_esignature WHERE id = %s", [signature.pk])
        assert f"e-signature #{signature.pk} recorded in the audit trail is missing" in " ".join(
            verify_all().problems
        )

    def test_a_signature_added_outside_mdss_is_named(self, legal):
        signature = self._sign(legal)
        extra = ESignature.objects.create(
            signer=legal,
            signer_name="x",
            meaning="legal approval",
            content_type=signature.content_type,
            object_id=signature.object_id,
            content_hash="0" * 64,
        )
        assert f"e-signature #{extra.pk} has no audit event" in " ".join(verify_all().problems)


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_application_role_cannot_truncate_permit_or_drop_triggers(rep):
    if connection.vendor != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    services.record(actor=rep, action="demo.one")
    revoke_purge_permit(connection)
    _raw(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mdss_app_test') "
        "THEN CREATE ROLE mdss_app_test NOLOGIN; END IF; END $$"
    )
    call_command("grant_app_role", "mdss_app_test")
    _raw("SET CONSTRAINTS ALL IMMEDIATE")
    attempts = [
        "TRUNCATE audit_auditevent CASCADE",
        "INSERT INTO mdss_purge_permit (id) VALUES (1)",
        "DROP TRIGGER audit_auditevent_refuse_change ON audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "DELETE FROM contracts_contract",
        "UPDATE audit_auditevent SET reason = 'x'",
    ]
    for statement in attempts:
        with pytest.raises((ProgrammingError, IntegrityError)), transaction.atomic():
            _raw("SET LOCAL ROLE mdss_app_test")
            _raw(statement)
    # What the application does need still works.
    with transaction.atomic():
        _raw("SET LOCAL ROLE mdss_app_test")
        services.record(actor=rep, action="demo.as_app")
    assert AuditEvent.objects.filter(action="demo.as_app").exists()
