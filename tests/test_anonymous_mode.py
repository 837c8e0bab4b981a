import pytest

from surveys.anonymity import export_identity, responses_for_display
from surveys.models import Response

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


def test_display_rows_hide_who_answered_for_anonymous_teams(answers):
    rows = {r.team.slug: r for r in responses_for_display(Response.objects.all())}
    assert rows["open"].requester_shown.email == "ann@example.org"
    assert rows["open"].ticket_shown.startswith("SD-")
    assert rows["hidden"].requester_shown is None and rows["hidden"].ticket_shown == ""


def test_export_identity_is_empty_for_anonymous_teams(answers):
    hidden = Response.objects.get(team__slug="hidden")
    assert export_identity(hidden) == {"requester_email": "", "requester_name": "", "ticket": ""}
    shown = Response.objects.get(team__slug="open")
    assert export_identity(shown)["requester_email"] == "ann@example.org"


def test_the_ticket_list_hides_scores_of_anonymous_teams(client, carol, answers):
    Response.objects.filter(team__slug="hidden").update(score=2)
    Response.objects.filter(team__slug="open").update(score=10)
    client.force_login(carol)
    page = client.get("/staff/tickets/").content.decode()
    assert ">10<" in page
    assert ">2<" not in page and "anonymous" in page
