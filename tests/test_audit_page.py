"""Issue 14, point 7 (the parts outside sign-in and tokens): the audit log is readable in the
app by those whose role carries audit.view_auditevent (auditors, administrators) and nobody
else; exports with identities are recorded; old events go after ITPULSE_AUDIT_RETENTION_DAYS."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission

from audit.models import AuditEvent
from audit.services import audit_record
from privacy.retention import retention_apply

from .conftest import NOW
from .factories import ResponseFactory

pytestmark = pytest.mark.django_db

URL = "/audit/"


@pytest.fixture
def auditor(django_user_model):
    user = django_user_model.objects.create_user("audrey", password="password")
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    return user


def test_an_auditor_reads_the_log(client, auditor, frozen):
    audit_record(
        action=AuditEvent.Action.PERSON_ERASED, actor_label="manage.py", target="sha256:ab"
    )
    client.force_login(auditor)
    page = client.get(URL)
    assert page.status_code == 200 and b"sha256:ab" in page.content
    assert list(client.get(URL + "?action=signed_in").context["page"]) == []
    assert client.post(URL).status_code == 405  # nothing to change here


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_nobody_else_reads_it(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404


def test_the_auditor_and_administrator_roles_read_it(client, audrey, carol, charlie):
    for user in (audrey, carol):
        client.force_login(user)
        assert client.get(URL).status_code == 200
    client.force_login(charlie)  # no role: the page saying whom to ask
    assert client.get(URL).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, db):
    assert client.get(URL).status_code == 302


def test_an_export_with_identities_is_recorded(client, alice, team, frozen):
    ResponseFactory(invitation__ticket__team=team, comment="slow")
    client.force_login(alice)
    b"".join(client.get("/dashboard/teams/workplace/export.csv").streaming_content)
    exports = AuditEvent.objects.filter(action="exported_with_identity")
    assert not exports.exists()
    b"".join(client.get("/dashboard/teams/workplace/export.csv?identity=1").streaming_content)
    event = exports.get()
    assert event.action == "exported_with_identity" and event.actor == alice
    assert event.target.startswith("team workplace") and event.ip == "127.0.0.1"


def test_old_events_go_after_the_audit_retention(frozen, settings):
    settings.ITPULSE_AUDIT_RETENTION_DAYS = 365
    old = audit_record(action=AuditEvent.Action.SIGNED_IN, actor_label="ann")
    AuditEvent.objects.filter(pk=old.pk).update(when=NOW - timedelta(days=366))
    recent = audit_record(action=AuditEvent.Action.SIGNED_IN, actor_label="bo")
    assert retention_apply(now=NOW, dry_run=True)["audit events"] == 1
    assert retention_apply(now=NOW)["audit events"] == 1
    assert set(AuditEvent.objects.values_list("pk", flat=True)) >= {recent.pk}
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
