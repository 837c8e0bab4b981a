"""GET /api/v1/responses (issue 16.4): the answers one by one, under the results:read scope, with
a cursor that never skips an answer, also one given while the reader pages; an answer nobody
may know the giver of carries no ticket, requester or agent."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from surveys import feed
from surveys.api_tokens import api_token_create
from surveys.models import Invitation, Reason
from surveys.services import response_submit

from .conftest import NOW
from .factories import InvitationFactory, ResponseFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/responses"


def sent_to(team, **extra):
    # Sent the day it is answered: an anonymous team's people are counted by that day.
    return InvitationFactory(
        **{
            "status": Invitation.Status.SENT,
            "sent_at": NOW - timedelta(hours=1),
            "expires_at": NOW + timedelta(days=14),
            "ticket__team": team,
            **extra,
        }
    )


def answer(team, score=9, **extra):
    return response_submit(invitation=sent_to(team, **extra), score=score, comment="Quick fix")


def read(client, headers, **query):
    response = client.get(URL, query, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def walk(client, headers, cursor=None, **query):
    """Every page from `cursor` on; returns the answers' ids and the last cursor."""
    ids = []
    while True:
        page = read(client, headers, **({"cursor": cursor} if cursor else {}), **query)
        ids += [row["id"] for row in page["responses"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return ids, cursor


def test_a_named_answer_carries_its_ticket_requester_and_agent(client, api_headers, team, frozen):
    given = response_submit(
        invitation=sent_to(
            team,
            ticket__external_id="SD-7",
            ticket__requester__email="ann@example.org",
            ticket__agent__email="dave@example.org",
        ),
        score=3,
        comment="Slow",
        reasons=Reason.objects.filter(slug="speed"),
    )
    frozen.shift(feed.SETTLE)
    [row] = read(client, api_headers)["responses"]
    assert row == {
        "id": given.id,
        "team": "workplace",
        "score": 3,
        "category": "detractor",
        "question_type": "nps",
        "comment": "Slow",
        "reasons": ["speed"],
        "created_at": NOW.isoformat(),
        "updated_at": NOW.isoformat(),
        "anonymous": False,
        "ticket": {"source": "jira", "external_id": "SD-7"},
        "requester": {"email": "ann@example.org", "name": given.invitation.requester.name},
        "agent": {"email": "dave@example.org", "name": given.agent.name},
    }


def test_anonymous_answers_carry_no_ticket_or_person(client, api_headers, team, frozen, settings):
    """Planted: response_data taking the ticket from the stored invitation instead of
    anonymity.shown_ticket (the answer given before the team turned anonymous carried it)."""
    settings.ITPULSE_MIN_GROUP = 1  # the small-group rule has a test of its own, below
    named_before = answer(team)
    team.anonymous = True
    team.save()
    unlinked = answer(team, score=2)
    assert unlinked.invitation_id is None
    frozen.shift(timedelta(days=1, hours=2))  # the unlinked answer's day is over
    rows = {row["id"]: row for row in read(client, api_headers)["responses"]}
    for given in (named_before, unlinked):
        row = rows[given.id]
        assert row["anonymous"] is True
        assert (row["ticket"], row["requester"], row["agent"]) == (None, None, None)
        assert row["comment"] == "Quick fix"
    # The unlinked answer's times are its day only.
    given_at = datetime.fromisoformat(rows[unlinked.id]["created_at"])
    assert given_at == unlinked.created_at
    assert timezone.localtime(given_at).time() == time.min


def test_pages_never_skip_or_repeat_an_answer_given_meanwhile(
    client, api_headers, team, frozen, monkeypatch
):
    """Answers share one time (the frozen clock: a burst within one tick); the cursor keeps
    their order by id. Planted: a cursor that compares the time only (position > last) skipped
    the rest of that time's answers, and this failed."""
    monkeypatch.setattr(feed, "PAGE_SIZE", 2)
    monkeypatch.setattr("api.responses.PAGE_SIZE", 2)
    first = [answer(team).id for _ in range(3)]
    frozen.shift(feed.SETTLE)
    page = read(client, api_headers)
    assert [row["id"] for row in page["responses"]] == first[:2] and page["has_more"]
    # Given while the reader is between pages: at this very time, and a moment later.
    meanwhile = [answer(team).id, answer(team).id]
    frozen.shift(feed.SETTLE)
    ids, cursor = walk(client, api_headers, page["next_cursor"])
    assert ids == [first[2], *meanwhile]
    # Nothing new: the same cursor, no answers; then only what came after it.
    assert read(client, api_headers, cursor=cursor)["responses"] == []
    later = answer(team)
    frozen.shift(feed.SETTLE)
    assert walk(client, api_headers, cursor)[0] == [later.id]


def test_an_answer_is_served_only_once_it_cannot_be_overtaken(client, api_headers, team, frozen):
    given = answer(team)
    assert read(client, api_headers)["responses"] == []
    frozen.shift(feed.SETTLE)
    assert [row["id"] for row in read(client, api_headers)["responses"]] == [given.id]


def test_an_anonymous_answer_given_after_the_cursor_passed_its_midnight_is_not_skipped(
    client, api_headers, team, frozen, settings
):
    """An unlinked answer is stored at its day's midnight. Planted: the feed ordered by the
    stored time, so today's anonymous answer fell behind a cursor that had read this
    morning's named answers, and the reader never saw it; this test failed."""
    settings.ITPULSE_MIN_GROUP = 1  # one anonymous answer: the small-group rule is tested below
    hidden = TeamFactory(slug="hidden", name="Hidden", anonymous=True)
    morning = answer(team)
    frozen.shift(feed.SETTLE)
    ids, cursor = walk(client, api_headers)
    assert ids == [morning.id]
    frozen.shift(timedelta(hours=2))
    anonymous = answer(hidden, score=1)
    afternoon = answer(team)
    frozen.shift(feed.SETTLE)
    # Not while its day lasts (that would date it), but the named one is.
    ids, cursor = walk(client, api_headers, cursor)
    assert ids == [afternoon.id]
    frozen.shift(timedelta(days=1))
    ids, _cursor = walk(client, api_headers, cursor)
    assert ids == [anonymous.id]


def test_an_anonymous_teams_day_with_too_few_people_is_passed_over(
    client, api_headers, frozen, settings
):
    """docs/privacy.md: an anonymous team's results stand on ITPULSE_MIN_GROUP people or are
    not shown. Planted: the feed without withheld_answer_ids served the lone answer."""
    settings.ITPULSE_MIN_GROUP = 3
    hidden = TeamFactory(slug="hidden", name="Hidden", anonymous=True)
    quiet = TeamFactory(slug="quiet", name="Quiet", anonymous=True)

    def answers(team, count):
        invitations = [sent_to(team) for _ in range(count)]
        return {response_submit(invitation=inv, score=7).id for inv in invitations}

    busy, lone = answers(hidden, 3), answers(quiet, 1)
    frozen.shift(timedelta(days=1, hours=2))
    ids, cursor = walk(client, api_headers)
    assert set(ids) == busy and not lone & set(ids)
    assert cursor is not None  # the reader moves past the withheld answer all the same


def test_since_and_team_narrow_the_feed(client, api_headers, team, frozen):
    other = TeamFactory(slug="network", name="Network")
    old = ResponseFactory(invitation__ticket__team=team, created_at=NOW - timedelta(days=3))
    mine, theirs = answer(team), answer(other)
    frozen.shift(feed.SETTLE)
    assert walk(client, api_headers)[0] == [old.id, mine.id, theirs.id]
    assert walk(client, api_headers, since=(NOW - timedelta(days=1)).date().isoformat())[0] == [
        mine.id,
        theirs.id,
    ]
    assert walk(client, api_headers, since="2026-11-25T10:00:00+00:00", team="network")[0] == [
        theirs.id
    ]
    # A changed answer moves to the end, as changed now.
    frozen.shift(timedelta(minutes=5))
    response_submit(invitation=old.invitation, score=4)
    frozen.shift(feed.SETTLE)
    assert walk(client, api_headers)[0] == [mine.id, theirs.id, old.id]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"cursor": "not-ours"}, "cursor"),
        ({"cursor": "WyJ4IiwxXQ"}, "cursor"),  # ["x",1]
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-11-25T10:00:00"}, "since"),  # no zone
        ({"since": "0001-01-01"}, "since"),
        ({"team": "nobody"}, "team"),
    ],
)
def test_bad_parameters_are_400_naming_them(client, api_headers, team, query, field):
    response = client.get(URL, query, **api_headers)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_it_needs_a_token_with_results_read(client, team):
    assert client.get(URL).status_code == 401
    _token, raw = api_token_create(name="writer", scopes=["tickets:write"])
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403 and "results:read" in response.json()["errors"]["scope"][0]
