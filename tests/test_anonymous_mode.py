import pytest

from surveys.anonymity import shown_requester, shown_ticket_ref
from surveys.models import Response

from .answering import answer_and_follow
from .factories import ResponseFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(frozen):
    open_team = TeamFactory(name="Open", slug="open")
    hidden_team = TeamFactory(name="Hidden", slug="hidden", anonymous=True)
    ResponseFactory(
        invitation__ticket__team=open_team, invitation__ticket__requester__email="ann@example.org"
    )
    ResponseFactory(
        invitation__ticket__team=hidden_team, invitation__ticket__requester__email="bo@example.org"
    )
    return open_team, hidden_team


def test_who_answered_is_hidden_for_anonymous_teams(answers):
    rows = {r.team.slug: r for r in Response.objects.all()}
    assert shown_requester(rows["open"]).email == "ann@example.org"
    assert shown_ticket_ref(rows["open"]).startswith("SD-")
    assert shown_requester(rows["hidden"]) is None and shown_ticket_ref(rows["hidden"]) == ""


def test_the_ticket_list_hides_scores_of_anonymous_teams(client, alice, answers):
    Response.objects.filter(team__slug="hidden").update(score=2)
    Response.objects.filter(team__slug="open").update(score=10)
    client.force_login(alice)  # the IT manager, who sees every other team's ticket scores
    page = client.get("/staff/tickets/").content.decode()
    assert ">10<" in page
    assert ">2<" not in page and "anonymous" in page


def test_a_low_score_for_an_anonymous_team_opens_no_follow_up_case(frozen):
    from datetime import timedelta

    from followups.models.cases import FollowUpCase
    from surveys.models import Invitation

    from .conftest import NOW
    from .factories import InvitationFactory

    def sent_to(**team):
        return InvitationFactory(
            status=Invitation.Status.SENT,
            sent_at=NOW,
            expires_at=NOW + timedelta(days=14),
            **{f"ticket__team__{k}": v for k, v in team.items()},
        )

    answer_and_follow(invitation=sent_to(slug="hidden", name="Hidden", anonymous=True), score=1)
    assert not FollowUpCase.objects.exists()
    answer_and_follow(invitation=sent_to(slug="open", name="Open"), score=1)
    assert FollowUpCase.objects.filter(team__slug="open").count() == 1
