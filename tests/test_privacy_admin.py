"""Issue 13, point 4 in the admin: a superuser finds a person by address and exports or erases
their data with the same effect as the commands; deleting a requester erases them."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from audit.models import AuditEvent
from surveys.models import Requester, Response, Ticket

from .conftest import NOW
from .people import figures, person_with_everything, text_holding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rollups_checked")]

ANN = "ann@example.org"
CHANGELIST = "/admin/surveys/requester/"


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return user


@pytest.fixture
def ann(team, frozen, root):
    return person_with_everything(ANN, team, when=NOW - timedelta(days=3), staff=root)


def act(client, action: str, person, **extra):
    data = {"action": action, "_selected_action": [person.requester.pk], **extra}
    return client.post(CHANGELIST, data)


def test_the_search_finds_the_person_and_offers_both_actions(client, ann):
    page = client.get(CHANGELIST, {"q": "ANN@example"}).content.decode()
    assert ANN in page
    assert "Export personal data" in page and "Erase personal data" in page


def test_export_downloads_the_json(client, root, ann):
    response = act(client, "export_personal_data", ann)
    assert response["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    [data] = json.loads(response.content)
    assert data["address"] == ANN
    assert {row["score"] for row in data["answers"]} == {2, 9}
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.ip) == ("person_exported", root, "127.0.0.1")


def test_erase_asks_first(client, ann):
    page = act(client, "erase_personal_data", ann)
    assert page.status_code == 200
    assert "This cannot be undone." in page.content.decode()
    assert Requester.objects.filter(email=ANN).exists()
    assert not AuditEvent.objects.exists()


def test_erase_after_confirming_works_like_the_command(client, root, ann, team):
    before = figures(team, ann.campaign, NOW)
    response = act(client, "erase_personal_data", ann, post="yes")
    assert response.status_code == 302
    assert "Personal data erased: 1 of 1 selected." in client.get(CHANGELIST).content.decode()
    assert text_holding(ANN) == []
    assert figures(team, ann.campaign, NOW) == before
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.ip) == ("person_erased", root, "127.0.0.1")


def test_deleting_a_requester_erases_them(client, ann, team):
    before = figures(team, ann.campaign, NOW)
    url = f"{CHANGELIST}{ann.requester.pk}/delete/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Requester.objects.exists() and not Ticket.objects.exists()
    assert Response.objects.count() == 2
    assert figures(team, ann.campaign, NOW) == before


def test_bulk_deleting_requesters_erases_them(client, ann, team):
    act(client, "delete_selected", ann, post="yes")
    assert not Requester.objects.exists()
    assert text_holding(ANN) == []


def test_staff_who_are_not_superusers_get_neither(client, ann, django_user_model):
    carol = django_user_model.objects.create_user("carol", password="pw", is_staff=True)
    for codename in ("view_requester", "change_requester", "delete_requester"):
        carol.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(carol)
    page = client.get(CHANGELIST).content.decode()
    assert "Export personal data" not in page and "Erase personal data" not in page
    act(client, "erase_personal_data", ann, post="yes")
    act(client, "delete_selected", ann, post="yes")
    assert client.post(f"{CHANGELIST}{ann.requester.pk}/delete/", {"post": "yes"}).status_code
    assert Requester.objects.filter(email=ANN).exists()
    assert not AuditEvent.objects.exists()


def test_the_actions_speak_dutch():
    from privacy.admin import PersonalDataRequesterAdmin

    with translation.override("nl"):
        labels = [
            str(getattr(PersonalDataRequesterAdmin, name).short_description)
            for name in ("export_personal_data", "erase_personal_data")
        ]
    assert labels == ["Persoonsgegevens exporteren", "Persoonsgegevens wissen"]
