"""Reasons and keyword rules in the settings area (/settings/reasons/): a rule saved in the form
tags the next matching answer, a reason switched off is no longer suggested; wrong input is a
400 with messages, Dutch too, and nothing written; administrators and IT managers only (reasons
are one set for the whole organisation: no team lead changes them)."""

from datetime import timedelta

import pytest

from audit.models import AuditEvent
from followups.models import KeywordRule
from surveys.models import Invitation, Reason

from .answering import answer_and_follow
from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db

URL = "/settings/reasons/"


def submit(team, comment: str, language: str = "en", score: int = 3):
    invitation = InvitationFactory(
        ticket=TicketFactory(team=team, requester=RequesterFactory(language=language)),
        status=Invitation.Status.SENT,
        sent_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=60),
    )
    # As the site does: the answer, then its follow-through (where keyword rules tag it).
    return answer_and_follow(invitation=invitation, score=score, comment=comment)


def tagged(response) -> set[str]:
    return set(response.tags.values_list("reason__slug", flat=True))


def settings_events():
    return AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED)


def test_a_reason_and_a_rule_made_in_the_forms_tag_the_next_answer(client, alice, team, frozen):
    client.force_login(alice)
    response = client.post(
        f"{URL}new/",
        {"name_en": "Printing", "name_nl": "Printen", "slug": "", "position": "9", "active": "on"},
    )
    assert response.status_code == 302 and response["Location"] == URL
    printing = Reason.objects.get(slug="printing")
    assert printing.name_nl == "Printen"
    before = submit(team, "The printer jammed again.")
    response = client.post(
        f"{URL}keywords/new/",
        {
            "reason": printing.pk,
            "language": "",
            "keywords": "printer\n  toner \n\nprinter",
            "active": "on",
        },
    )
    assert response.status_code == 302
    rule = KeywordRule.objects.get(reason=printing)
    assert rule.keywords == "printer\ntoner"  # trimmed, once each
    assert "printing" not in tagged(before)  # suggestions come on arrival only
    assert "printing" in tagged(submit(team, "Out of toner, nobody came."))
    assert "printing" in tagged(submit(team, "De printer doet het niet.", "nl"))
    assert "printing" not in tagged(submit(team, "The laptop is slow."))
    events = list(settings_events().order_by("pk"))
    assert [e.target for e in events] == [f"reason {printing.pk}", f"keyword rule {rule.pk}"]
    assert all(e.actor == alice and e.details["section"] == "reasons" for e in events)
    listed = client.get(URL).content.decode()
    assert "Printing" in listed and "printer, toner" in listed


def test_a_rule_for_one_language_and_its_deactivation(client, carol, team, frozen):
    speed = Reason.objects.get(slug="speed")
    client.force_login(carol)
    client.post(
        f"{URL}keywords/new/",
        {"reason": speed.pk, "language": "nl", "keywords": "eeuwig", "active": "on"},
    )
    rule = KeywordRule.objects.get(keywords="eeuwig")
    assert "speed" in tagged(submit(team, "Eeuwig.", "nl"))
    assert "speed" not in tagged(submit(team, "eeuwig", "en"))
    response = client.post(
        f"{URL}keywords/{rule.pk}/",
        {"reason": speed.pk, "language": "nl", "keywords": "eeuwig"},  # "active" unticked
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert not rule.active
    assert "speed" not in tagged(submit(team, "Eeuwig.", "nl"))
    assert settings_events().order_by("pk").last().details["changed"] == ["active"]


def test_a_reason_switched_off_is_no_longer_suggested(client, carol, team, frozen):
    speed = Reason.objects.get(slug="speed")
    client.force_login(carol)
    data = {
        "name_en": speed.name_en,
        "name_nl": speed.name_nl,
        "slug": "speed",
        "position": speed.position,
    }
    response = client.post(f"{URL}{speed.pk}/", data)  # "active" unticked
    assert response.status_code == 302
    speed.refresh_from_db()
    assert not speed.active
    assert "speed" not in tagged(submit(team, "So slow."))
    assert "switched off" in client.get(URL).content.decode()


def test_saving_without_a_change_writes_no_audit_line(client, carol, frozen):
    speed = Reason.objects.get(slug="speed")
    client.force_login(carol)
    data = {
        "name_en": speed.name_en,
        "name_nl": speed.name_nl,
        "slug": "speed",
        "position": speed.position,
        "active": "on",
    }
    assert client.post(f"{URL}{speed.pk}/", data).status_code == 302
    assert not settings_events().exists()


def test_wrong_values_are_refused_with_messages(client, carol, frozen):
    speed = Reason.objects.get(slug="speed")
    client.force_login(carol)
    count = Reason.objects.count()
    response = client.post(f"{URL}new/", {"name_en": "", "slug": "", "position": "1"})
    assert response.status_code == 400
    assert "Give the reason a name in English." in response.content.decode()
    response = client.post(f"{URL}new/", {"name_en": "Speed", "slug": "", "position": "1"})
    assert response.status_code == 400
    assert "A reason with this short name already exists." in response.content.decode()
    response = client.post(
        f"{URL}keywords/new/", {"reason": speed.pk, "language": "", "keywords": "a\nok\nslowness"}
    )
    assert response.status_code == 400
    assert "A keyword needs at least 3 letters, or it matches almost every comment: a, ok" in (
        response.content.decode()
    )
    response = client.post(
        f"{URL}keywords/new/", {"reason": "999999", "language": "xx", "keywords": " \n "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose one of the reasons listed." in html
    assert "Give at least one word or phrase." in html
    assert Reason.objects.count() == count
    assert not KeywordRule.objects.filter(keywords__contains="slowness").exists()
    assert not settings_events().exists()


def test_messages_in_dutch(client, carol, frozen):
    speed = Reason.objects.get(slug="speed")
    client.force_login(carol)
    html = client.post(
        f"{URL}keywords/new/",
        {"reason": speed.pk, "language": "", "keywords": "ab"},
        HTTP_ACCEPT_LANGUAGE="nl",
    ).content.decode()
    assert "Een trefwoord heeft ten minste 3 letters nodig" in html
    html = client.post(
        f"{URL}new/", {"name_en": "", "slug": "", "position": "1"}, HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Geef de reden een Engelse naam." in html


@pytest.mark.parametrize("actor", ["bob", "dave", "audrey"])
def test_other_roles_get_a_404_and_change_nothing(client, request, actor, frozen):
    speed = Reason.objects.get(slug="speed")
    rule = KeywordRule.objects.filter(reason=speed).first()
    client.force_login(request.getfixturevalue(actor))
    assert client.get(URL).status_code == 404
    data = {"name_en": "Taken", "slug": "taken", "position": "1", "active": "on"}
    assert client.post(f"{URL}new/", data).status_code == 404
    assert client.post(f"{URL}{speed.pk}/", data).status_code == 404
    assert (
        client.post(f"{URL}keywords/{rule.pk}/", {"reason": speed.pk, "keywords": "x"}).status_code
        == 404
    )
    assert not Reason.objects.filter(slug="taken").exists()
    speed.refresh_from_db()
    rule.refresh_from_db()
    assert speed.name_en != "Taken" and rule.active
