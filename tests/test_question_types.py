"""Question types scored honestly (issue 17, point 2): a CSAT team asks 1–5, a CES team 1–7,
each answer is stored and counted on its own scale, and a team that changes its type starts a
new series that no page, API call or export mixes with the old one."""

import re
from datetime import timedelta

import pytest

from followups.models import FollowUpCase, TeamRules
from scoring import rollups
from scoring.models import TeamDailyScore
from surveys.models import Invitation, QuestionType, Response
from surveys.services import ScoreOutOfScale

from .answering import answer_and_follow
from .conftest import NOW
from .factories import InvitationFactory, TeamFactory, TicketFactory

pytestmark = pytest.mark.django_db

TEAM_URL = "/dashboard/teams/workplace/"


def sent(team):
    ticket = TicketFactory(team=team)
    invitation = InvitationFactory(
        ticket=ticket, status=Invitation.Status.SENT, sent_at=NOW - timedelta(days=1)
    )
    token = invitation.new_token(NOW - timedelta(days=1))
    invitation.save()
    return invitation, token


def answers(team, scores):
    for score in scores:
        answer_and_follow(
            invitation=sent(team)[0],
            score=score,
            comment=f"gave {score}",
            now=NOW - timedelta(days=1),
        )


def buttons(page: str) -> list[int]:
    return [int(v) for v in re.findall(r'name="score" id="[^"]+" value="(\d+)"', page)]


@pytest.mark.parametrize(
    ("question_type", "scores", "ends"),
    [
        (QuestionType.NPS, list(range(0, 11)), ("0 = not at all likely", "10 = extremely likely")),
        (QuestionType.SERVICE, [1, 2, 3, 4, 5], ("1 = very dissatisfied", "5 = very satisfied")),
        (QuestionType.EFFORT, [1, 2, 3, 4, 5, 6, 7], ("1 = very hard", "7 = very easy")),
    ],
)
def test_the_page_offers_the_types_scale(client, frozen, question_type, scores, ends):
    team = TeamFactory(slug="workplace", question_type=question_type)
    _inv, token = sent(team)
    page = client.get(f"/s/{token}/").content.decode()
    assert buttons(page) == scores
    assert all(end in page for end in ends)


def test_an_out_of_scale_score_is_refused_with_a_clear_message(client, frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.SERVICE)
    invitation, token = sent(team)
    for bad in ("0", "6", "10"):
        page = client.post(f"/s/{token}/", {"score": bad, "comment": "kept"})
        assert page.status_code == 200
        assert "Please choose a score from 1 to 5." in page.content.decode()
        assert "kept" in page.content.decode()
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT
    # The service refuses too, whoever calls it.
    with pytest.raises(ScoreOutOfScale):
        answer_and_follow(invitation=invitation, score=9)
    assert not Response.objects.exists()


def test_a_link_score_outside_the_scale_is_not_preselected(client, frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.EFFORT)
    _inv, token = sent(team)
    assert " checked" not in client.get(f"/s/{token}/?score=9").content.decode()
    assert 'value="6" checked' in client.get(f"/s/{token}/?score=6").content.decode()


def test_the_dutch_page_names_the_scale_ends_and_the_error_in_dutch(client, frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.EFFORT)
    _inv, token = sent(team)
    page = client.post(f"/s/{token}/?lang=nl", {"score": "9"}).content.decode()
    assert "Kies een score van 1 tot en met 7." in page and "7 = heel makkelijk" in page


def test_each_answer_is_counted_in_its_own_scales_columns(frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.SERVICE)
    answers(team, [5, 4, 3])
    assert set(Response.objects.values_list("question_type", flat=True)) == {"service"}
    row = TeamDailyScore.objects.get(team=team)
    assert (row.c5, row.c4, row.c3, row.s5, row.s4, row.s3) == (1, 1, 1, 0, 0, 0)
    assert row.histogram_of("service") == (0, 0, 1, 1, 1)
    assert rollups.differences() == []


def test_a_changed_answer_stays_on_the_scale_it_was_given_on(client, frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.NPS)
    _invitation, token = sent(team)
    client.post(f"/s/{token}/", {"score": "9"})
    team.question_type = QuestionType.SERVICE
    team.save()
    # Coming back to change it, the requester sees the 0–10 they answered on.
    assert buttons(client.get(f"/s/{token}/").content.decode()) == list(range(11))
    client.post(f"/s/{token}/", {"score": "2"})
    answer = Response.objects.get()
    assert (answer.score, answer.question_type) == (2, "nps")
    assert rollups.differences() == []


def test_the_team_page_shows_a_csat_team_in_percent(client, alice, frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.SERVICE)
    answers(team, [5, 5, 4, 4, 4, 3, 2, 1])  # 5 of 8 satisfied
    client.force_login(alice)
    page = client.get(TEAM_URL)
    score = page.context["score"]
    assert (score.kind, score.csat, score.responses) == ("csat", 63, 8)
    html = page.content.decode()
    assert "63%" in html and "CSAT (% 4–5)" in html and "5 / 1 / 2" in html
    assert [bar.score for bar in page.context["distribution"]["bars"]] == [1, 2, 3, 4, 5]


def test_the_team_page_shows_a_ces_team_as_a_mean(client, alice, frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.EFFORT)
    answers(team, [7, 7, 6, 6, 6, 5, 5, 4, 3, 1])  # mean 5.0, 7 of 10 easy
    client.force_login(alice)
    page = client.get(TEAM_URL)
    score = page.context["score"]
    assert (score.kind, score.mean, score.easy_share) == ("ces", 5.0, 70)
    html = page.content.decode()
    assert "CES (mean, 1–7)" in html and 'data-figure="easy-share">70%' in html


def test_the_dashboard_names_each_teams_measure(client, alice, frozen):
    TeamFactory(slug="workplace", name="Workplace", question_type=QuestionType.SERVICE)
    TeamFactory(slug="network", name="Network", question_type=QuestionType.NPS)
    client.force_login(alice)
    html = client.get("/dashboard/").content.decode()
    assert "CSAT (% 4–5)" in html and "<small" in html and ">NPS</small>" in html


def test_a_type_change_starts_a_new_series(client, alice, api_headers, frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.NPS)
    answers(team, [10, 10, 9, 9, 9, 0])
    team.question_type = QuestionType.SERVICE
    team.save()
    client.force_login(alice)
    before = client.get(TEAM_URL)
    # The new series has no answers yet: no score, and certainly not the NPS answers' 67.
    assert before.context["score"].kind == "csat" and before.context["score"].responses == 0
    assert "no answers on its scale yet" in before.content.decode()
    assert 'data-other-series="nps"' in before.content.decode()
    answers(team, [5, 5, 5, 4, 1])
    page = client.get(TEAM_URL)
    score = page.context["score"]
    assert (score.csat, score.responses) == (80, 5)
    assert [tally.responses for _start, tally in page.context["trend_points"]][-1] == 5
    assert page.context["change"] is None
    # The earlier series is still there, apart, on request.
    earlier = client.get(f"{TEAM_URL}?scale=nps").context["score"]
    assert (earlier.kind, earlier.nps, earlier.responses) == ("nps", 67, 6)
    # The API reads the current series, and an earlier one when asked.
    data = client.get("/api/v1/teams/workplace/nps", **api_headers).json()
    assert (data["question_type"], data["csat"], data["nps"], data["responses"]) == (
        "service",
        80,
        None,
        5,
    )
    assert data["series_since"] == (NOW - timedelta(days=1)).date().isoformat()
    old = client.get("/api/v1/teams/workplace/nps?scale=nps", **api_headers).json()
    assert (old["nps"], old["responses"]) == (67, 6)
    points = client.get("/api/v1/teams/workplace/trend?interval=month", **api_headers).json()
    assert {p["question_type"] for p in points} == {"service"}
    assert sum(p["responses"] for p in points) == 5
    bad = client.get("/api/v1/teams/workplace/nps?scale=stars", **api_headers)
    assert bad.status_code == 400 and "scale" in bad.json()["errors"]


@pytest.mark.parametrize(
    ("question_type", "opens", "stays_shut"),
    [
        (QuestionType.NPS, 6, 7),
        (QuestionType.SERVICE, 2, 3),
        (QuestionType.EFFORT, 3, 4),
    ],
)
def test_a_follow_up_opens_at_the_scales_threshold(frozen, question_type, opens, stays_shut):
    team = TeamFactory(slug="workplace", question_type=question_type)
    answers(team, [stays_shut])
    assert not FollowUpCase.objects.exists()
    answers(team, [opens])
    assert FollowUpCase.objects.get().opening_score == opens


def test_the_teams_nps_threshold_is_on_0_to_10_only(frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.SERVICE)
    TeamRules.objects.create(team=team, detractor_threshold=8)
    answers(team, [3])  # a neutral CSAT answer: an NPS threshold of 8 says nothing about it
    assert not FollowUpCase.objects.exists()


def test_the_export_names_each_answers_scale_and_band(client, alice, frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.NPS)
    answers(team, [2])
    team.question_type = QuestionType.SERVICE
    team.save()
    answers(team, [2, 4])
    client.force_login(alice)
    body = b"".join(client.get(f"{TEAM_URL}export.csv").streaming_content).decode("utf-8-sig")
    lines = [line.split(",") for line in body.strip().splitlines()]
    assert lines[0][-1] == "question_type" and lines[0][:6] == [
        "answered_at",
        "team",
        "agent",
        "score",
        "category",
        "comment",
    ]
    found = sorted((row[3], row[4], row[-1]) for row in lines[1:])
    assert found == [
        ("2", "detractor", "nps"),
        ("2", "dissatisfied", "service"),
        ("4", "satisfied", "service"),
    ]


def test_the_comment_filter_uses_the_teams_bands(client, alice, frozen):
    team = TeamFactory(slug="workplace", question_type=QuestionType.NPS)
    answers(team, [2])
    team.question_type = QuestionType.SERVICE
    team.save()
    answers(team, [2, 5])
    client.force_login(alice)
    page = client.get(f"{TEAM_URL}?category=dissatisfied")
    assert [(r.score, r.question_type) for r in page.context["comments"].comments] == [
        (2, "service")
    ]
    assert "satisfied" in dict(page.context["comment_form"].fields["category"].choices)
