"""Issue 13, point 2, on the reasons pages: the reasons behind an anonymous team's scores are
results too. "One detractor, rude" in a group of two tells who said it, and the tagging list
shows each answer with its comment. Below ITPULSE_MIN_GROUP people none of it is shown."""

from datetime import timedelta

import pytest

from surveys.models import Invitation, Reason
from surveys.services import response_submit

from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory

pytestmark = pytest.mark.django_db

REASONS_PAGE = "/followups/teams/workplace/reasons/"


@pytest.fixture
def answered(team, frozen):
    """`answered(n)`: n people of the anonymous team each gave a 2 for "rude", with a comment."""
    team.anonymous = True
    team.save()
    rude = Reason.objects.create(slug="rude", name_en="Rude")
    team.quick_pick_reasons.add(rude)

    def make(people: int) -> None:
        for i in range(people):
            invitation = InvitationFactory(
                status=Invitation.Status.SENT,
                sent_at=NOW - timedelta(days=2),
                ticket__team=team,
                ticket__requester=RequesterFactory(),
            )
            token = invitation.new_token(NOW)
            invitation.save()
            response_submit(
                invitation=invitation,
                score=2,
                comment=f"rude on the phone {i}",
                reasons=[rude],
                token=token,
                now=NOW - timedelta(days=1),
            )

    return make


def test_one_persons_reasons_are_not_shown(client, alice, answered):
    answered(1)
    client.force_login(alice)
    page = client.get(REASONS_PAGE)
    html = page.content.decode()
    assert "rude on the phone" not in html and "data-withheld" in html
    assert page.context["counts"] == [] and page.context["rows"] == []
    assert page.context["trends"] and all(t.counts[-1] is None for t in page.context["trends"])
    for section in ("/followups/teams/workplace/", "/dashboard/teams/workplace/"):
        assert 'data-reason="rude"' not in client.get(section).content.decode()


def test_five_peoples_reasons_are_shown(client, alice, answered):
    answered(5)
    client.force_login(alice)
    page = client.get(REASONS_PAGE)
    html = page.content.decode()
    assert "rude on the phone 0" in html and "data-withheld" not in html
    counts = {row.reason.slug: row.detractors for row in page.context["counts"]}
    assert counts["rude"] == 5
    assert {trend.counts[-1] for trend in page.context["trends"]} == {5}
    assert 'data-reason="rude"' in client.get("/dashboard/teams/workplace/").content.decode()
