"""The audit trail: records are added by services and can be read, never edited, in the admin."""

import pytest

from audit.models import AuditEvent
from audit.services import audit_record

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="password")
    client.force_login(user)
    return user


@pytest.fixture
def event(root):
    return audit_record(
        action=AuditEvent.Action.PERSON_ERASED,
        actor=root,
        target="sha256:abc",
        ip="192.0.2.7",
        details={"requesters": 1},
    )


def test_a_record_names_its_actor_by_user_and_label(frozen, event, root):
    event.refresh_from_db()
    assert (event.when, event.actor, event.actor_label) == (NOW, root, "root")
    assert (event.target, event.ip, event.details) == ("sha256:abc", "192.0.2.7", {"requesters": 1})


def test_a_command_is_named_by_its_label():
    event = audit_record(action=AuditEvent.Action.RETENTION_APPLIED, actor_label="manage.py")
    assert (event.actor, event.actor_label) == (None, "manage.py")
    assert (event.ip, event.details) == (None, {})


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError, match="unknown audit action"):
        audit_record(action="person_hugged")


def test_a_superuser_can_read_the_trail(client, event):
    assert client.get("/admin/audit/auditevent/").status_code == 200
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b"sha256:abc" in page.content


def test_nobody_can_add_change_or_delete_a_record(client, event):
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    client.post(
        f"/admin/audit/auditevent/{event.pk}/change/",
        {"target": "forged", "action": event.action, "when_0": "2026-01-01", "when_1": "00:00"},
    )
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    client.post(
        "/admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    event.refresh_from_db()
    assert event.target == "sha256:abc"
