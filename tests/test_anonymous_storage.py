"""Issue 13, point 1: an anonymous team's answer is unlinked in storage, not only on the page.

Tried as a privacy officer would: answer through the real link, then look for the person from
every side a superuser or a database administrator has (the admin, the export, raw SQL).
"""

import json
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from followups.models import KeywordRule
from scoring.rollups import differences
from surveys import unlinked
from surveys.models import Invitation, LinkClick, Reason, Requester, Response, hash_token
from surveys.services import response_submit
from surveys.tasks import answer_follow_through
from surveys.unlinked import link_key

from .conftest import NOW
from .factories import InvitationFactory
from .hooks import connector_for, payload, post_hook, signed_headers

pytestmark = pytest.mark.django_db

EMAIL = "jan.jansen@example.org"


@pytest.fixture
def sent(frozen):
    """A sent invitation of an anonymous team, with its link token and reminder token."""
    invitation = InvitationFactory(
        status=Invitation.Status.SENT,
        sent_at=NOW - timedelta(hours=2),
        ticket__team__anonymous=True,
        ticket__team__slug="hidden",
        ticket__requester__email=EMAIL,
        ticket__requester__name="Jan Jansen",
        ticket__external_id="SD-4711",
    )
    token = invitation.new_token(NOW)
    invitation.save()
    return invitation, token


def _midnight() -> datetime:
    zone = timezone.get_default_timezone()
    return datetime.combine(timezone.localdate(NOW, zone), time.min, tzinfo=zone)


def test_an_anonymous_answer_keeps_no_link_and_no_time_of_day(client, sent):
    invitation, token = sent
    rude = Reason.objects.create(slug="rude", name_en="Rude")
    KeywordRule.objects.create(reason=rude, language="en", keywords="rude")
    client.get(f"/s/{token}/?score=3")
    response = client.post(f"/s/{token}/", {"score": "3", "comment": "Rude on the phone"})
    assert response.status_code == 302

    answer = Response.objects.get()
    # The keyword tag comes from the answer's task, run as the worker would after the commit.
    answer_follow_through(answer.pk, True)
    assert answer.invitation_id is None
    assert answer.created_at == answer.updated_at == _midnight()
    assert answer.link_key == link_key(token) and answer.link_key != invitation.token_hash
    invitation.refresh_from_db()
    # The invitation keeps that it was answered, not when; its link's openings are gone.
    assert invitation.status == Invitation.Status.ANSWERED and invitation.answered_at is None
    assert not LinkClick.objects.exists()
    # Nothing kept beside it tells the time either: a keyword rule's tag carries the day only.
    assert {tag.created_at for tag in answer.tags.all()} == {_midnight()}


def test_no_raw_sql_join_leads_from_the_answer_to_the_person(client, sent):
    invitation, token = sent
    client.post(f"/s/{token}/", {"score": "3", "comment": "Rude on the phone"})
    answer = Response.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_response WHERE id = %s", [answer.id])
        columns = [c.name for c in cursor.description]
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    assert row["invitation_id"] is None
    # No column names or holds the invitation, ticket or person; none carries a time of day.
    assert not [c for c in columns if c.startswith(("invitation", "requester", "ticket"))][1:]
    values = " ".join(str(v) for v in row.values())
    for secret in (EMAIL, "Jan Jansen", "SD-4711", token, invitation.token_hash):
        assert secret not in values
    assert timezone.localtime(row["created_at"]).time() == time.min
    # And nothing points from the person's side to the answer.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM surveys_response r "
            "JOIN surveys_invitation i ON r.invitation_id = i.id"
        )
        assert cursor.fetchone()[0] == 0


def test_a_superuser_sees_no_person_in_the_admin_or_an_export(client, sent, django_user_model):
    invitation, token = sent
    client.post(f"/s/{token}/", {"score": "3", "comment": "Rude on the phone"})
    answer = Response.objects.get()
    for _ in range(4):  # a group large enough for the export to show answers at all
        other = InvitationFactory(
            status=Invitation.Status.SENT, sent_at=NOW, ticket__team=invitation.team
        )
        other_token = other.new_token(NOW)
        other.save()
        client.post(f"/s/{other_token}/", {"score": "9"})
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    listing = client.get("/admin/surveys/response/").content
    change = client.get(f"/admin/surveys/response/{answer.id}/change/").content
    export = b"".join(client.get("/dashboard/teams/hidden/export.csv?identity=1").streaming_content)
    assert b"Rude on the phone" in change and b"Rude on the phone" in export
    for page in (listing, change, export):
        assert EMAIL.encode() not in page and b"SD-4711" not in page


def test_the_same_link_changes_the_answer_and_counts_stay_true(client, sent, frozen):
    _invitation, token = sent
    client.post(f"/s/{token}/", {"score": "3", "comment": "slow"})
    frozen.shift(timedelta(days=1))
    client.post(f"/s/{token}/", {"score": "9", "comment": "fixed after all"})
    answer = Response.objects.get()
    assert (answer.score, answer.comment) == (9, "fixed after all")
    assert answer.updated_at == _midnight() + timedelta(days=1)
    page = client.get(f"/s/{token}/thanks/")
    assert b"Change my answer" in page.content
    assert differences() == []


def test_coming_back_to_the_link_leaves_no_time_beside_the_answer(client, sent, frozen):
    """Opening the link is recorded (for scanner detection) with its time. Beside an anonymous
    answer's day, an opening's time would tell which invitation gave it: the openings before
    the answer go with it, and coming back to see or change it the next day records none."""
    _invitation, token = sent
    client.get(f"/s/{token}/?score=3")
    client.post(f"/s/{token}/", {"score": "3", "comment": "slow"})
    client.get(f"/s/{token}/thanks/")
    frozen.shift(timedelta(days=1, hours=3))
    assert client.get(f"/s/{token}/").status_code == 200
    client.post(f"/s/{token}/", {"score": "9", "comment": "fixed after all"})
    assert Response.objects.get().score == 9
    assert not LinkClick.objects.exists()


def test_a_language_picked_while_answering_does_not_date_the_answer(client, sent):
    """Switching the page to Dutch and answering makes Dutch the person's language, and is
    dated on their row: by the day the survey was sent, not the time of the answer."""
    invitation, token = sent
    client.post(f"/s/{token}/?lang=nl", {"score": "3"})
    requester = Requester.objects.get(pk=invitation.requester_id)
    assert requester.language == "nl"
    assert requester.language_chosen_at == unlinked.answer_day(invitation.sent_at)


def test_the_other_link_can_neither_see_nor_add_an_answer(client, sent):
    invitation, token = sent
    client.post(f"/s/{token}/", {"score": "3", "comment": "slow"})
    other = invitation.new_token(NOW)  # as a reminder's link: another token, same invitation
    Invitation.objects.filter(pk=invitation.pk).update(reminder_token_hash=invitation.token_hash)
    page = client.get(f"/s/{other}/")
    assert page.status_code == 200 and b"other link" in page.content
    client.post(f"/s/{other}/", {"score": "10", "comment": "second try"})
    assert list(Response.objects.values_list("score", flat=True)) == [3]
    assert differences() == []


def test_turning_the_team_named_affects_only_later_answers(client, sent, frozen):
    invitation, token = sent
    client.post(f"/s/{token}/", {"score": "3", "comment": "before"})
    invitation.team.anonymous = False
    invitation.team.save()
    later = InvitationFactory(
        status=Invitation.Status.SENT, sent_at=NOW, ticket__team=invitation.team
    )
    later_token = later.new_token(NOW)
    later.save()
    client.post(f"/s/{later_token}/", {"score": "9", "comment": "after"})
    assert Response.objects.get(comment="before").invitation_id is None
    assert Response.objects.get(comment="after").invitation_id == later.id
    # The earlier answer still changes through its own link, and stays unlinked.
    client.post(f"/s/{token}/", {"score": "4", "comment": "before, changed"})
    assert Response.objects.get(comment="before, changed").invitation_id is None


def test_rebuilt_rollups_count_an_anonymous_answer_as_answered(client, sent):
    _invitation, token = sent
    client.post(f"/s/{token}/", {"score": "3"})
    call_command("rebuild_rollups", verbosity=0)
    assert differences() == []
    from scoring.models import TeamDailyScore

    assert TeamDailyScore.objects.get().answered == 1


def test_whether_the_reminder_came_first_does_not_date_the_answer(client, sent, frozen):
    """One person answers before their reminder is due, another only after it: the two
    answered invitations keep nothing that tells which was which (before or after that day),
    and the reminder's link still finds the answer it gave."""
    early, early_token = sent
    late = InvitationFactory(
        status=Invitation.Status.SENT,
        sent_at=NOW - timedelta(hours=2),
        ticket__team=early.team,
        remind_at=NOW + timedelta(days=3),
    )
    late.new_token(NOW)
    late.save()
    Invitation.objects.filter(pk=early.pk).update(remind_at=NOW + timedelta(days=3))
    client.post(f"/s/{early_token}/", {"score": "3"})
    frozen.shift(timedelta(days=4))
    reminder = "reminder-link-token"
    Invitation.objects.filter(pk=late.pk).update(
        reminded_at=NOW + timedelta(days=3), reminder_token_hash=hash_token(reminder)
    )
    client.post(f"/s/{reminder}/", {"score": "9"})
    fields = ("status", "answered_at", "remind_at", "reminded_at")
    rows = Invitation.objects.filter(pk__in=[early.pk, late.pk])
    assert len(set(rows.values_list(*fields))) == 1
    assert not rows.filter(reminder_token_hash=None).exists()
    assert client.get(f"/s/{reminder}/").context["answer"].score == 9


def test_no_page_or_api_tells_per_ticket_that_it_was_answered(
    client, sent, frozen, alice, api_headers
):
    """The invitation keeps that it was answered (for the response rate), but the ticket list
    and the helpdesk's API do not say so per ticket: beside the days of the team's comments,
    "SD-4711 answered" tells whose comment is whose. It reads as an unanswered survey would."""
    invitation, token = sent
    client.post(f"/s/{token}/", {"score": "3", "comment": "Rude on the phone"})
    ticket = invitation.ticket
    again = {
        "source": ticket.source,
        "external_id": ticket.external_id,
        "team": "hidden",
        "requester": {"email": EMAIL},
        "closed_at": ticket.closed_at.isoformat(),
    }

    def api_status() -> str:
        reply = client.post(
            "/api/v1/tickets/closed", again, content_type="application/json", **api_headers
        )
        return reply.json()["invitation"]["status"]

    assert api_status() == "sent"
    client.force_login(alice)
    row = client.get("/staff/tickets/").content.decode()
    assert ">sent<" in row and ">answered<" not in row
    frozen.shift(timedelta(days=60))  # past the link's expiry: as an unanswered one reads
    assert api_status() == "expired"


def test_nor_does_a_helpdesk_webhook_closing_the_ticket_again(client, team, frozen):
    """A helpdesk that sends the same ticket's "closed" again (a new call, not a retry) hears
    back its survey's status: for an anonymous team, not that it was answered."""
    connector = connector_for("zendesk", team)

    def close_again(call: str):
        body = json.dumps(payload("zendesk")).encode()
        headers = signed_headers(connector, body, int(NOW.timestamp()))
        headers["X-Zendesk-Webhook-Invocation-Id"] = call
        return post_hook(client, connector, None, raw=body, headers=headers)

    assert close_again("call-1").status_code == 201
    team.anonymous = True
    team.save()
    invitation = Invitation.objects.get()
    invitation.status, invitation.sent_at = Invitation.Status.SENT, NOW
    token = invitation.new_token(NOW)
    invitation.save()
    response_submit(invitation=invitation, score=3, token=token, now=NOW)
    reply = close_again("call-2")
    assert reply.json()["invitation"]["status"] == "sent"
