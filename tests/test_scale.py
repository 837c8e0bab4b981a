"""The scale's bands (surveys/scales.py) reach every place that sorts answers by them: the
comment filter and CSV export, the distribution chart's colours, an agent's own page and the
demo's comments. Scores 6 to 9 are the boundaries: one step either way changes a category."""

from datetime import timedelta

import pytest

from surveys.demo import COMMENTS, load_demo
from surveys.models import Agent, Response
from surveys.scales import NPS

from .conftest import NOW
from .factories import ResponseFactory

pytestmark = pytest.mark.django_db

URL = "/dashboard/teams/workplace/"


def answer(team, score, comment="", **extra):
    when = NOW - timedelta(days=1)
    return ResponseFactory(
        invitation__ticket__team=team,
        invitation__sent_at=when - timedelta(hours=1),
        score=score,
        comment=comment or f"gave {score}",
        created_at=when,
        **extra,
    )


@pytest.fixture
def boundaries(team, frozen):
    for score in (6, 7, 8, 9):
        answer(team, score)


def test_the_comment_filter_splits_at_the_thresholds(client, alice, boundaries):
    client.force_login(alice)

    def comments(category):
        page = client.get(f"{URL}?category={category}").context["comments"]
        return sorted(response.comment for response in page.comments)

    assert comments("promoter") == ["gave 9"]
    assert comments("passive") == ["gave 7", "gave 8"]
    assert comments("detractor") == ["gave 6"]


def test_the_export_names_each_answers_category(client, alice, boundaries):
    client.force_login(alice)
    export = client.get(URL + "export.csv")
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[1:]
    by_score = {line.split(",")[3]: line.split(",")[4] for line in lines}
    assert by_score == {"6": "detractor", "7": "passive", "8": "passive", "9": "promoter"}


def test_the_distribution_colours_each_bar_by_its_category(client, alice, boundaries):
    client.force_login(alice)
    bars = client.get(URL).context["distribution"]["bars"]
    assert [bar.category for bar in bars[6:10]] == ["detractor", "passive", "passive", "promoter"]
    assert b'class="bar bar-promoter bar-good"' in client.get(URL).content


def test_an_agents_page_counts_the_categories_at_the_thresholds(client, dave, team, frozen):
    agent = Agent.objects.get(user=dave)
    for score in (6, 7, 8, 9):
        answer(team, score, invitation__ticket__agent=agent)
    client.force_login(dave)
    score = client.get("/me/feedback/").context["score"]
    assert (score.promoters, score.passives, score.detractors) == (1, 2, 1)


def test_the_demo_gives_each_band_its_own_comments(frozen):
    load_demo(now=NOW, days=30)
    for response in Response.objects.exclude(comment="").select_related("invitation__requester"):
        # A CSAT or CES answer's band is its own scale's, in the same place (good, middle, bad).
        scale = response.scale
        band = NPS.categories[scale.categories.index(scale.category(response.score))]
        assert response.comment in COMMENTS[response.invitation.requester.language][band]
