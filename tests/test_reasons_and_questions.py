from datetime import timedelta

import pytest
from django.utils import translation

from surveys.models import Invitation, QuestionType, Reason
from surveys.services import response_submit

from .conftest import NOW
from .factories import InvitationFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(frozen):
    inv = InvitationFactory(
        status=Invitation.Status.SENT, sent_at=NOW, expires_at=NOW + timedelta(days=14)
    )
    return inv


def test_the_starter_reasons_exist_in_both_languages():
    speed = Reason.objects.get(slug="speed")
    with translation.override("nl"):
        assert str(speed) == "Snelheid"
    with translation.override("en"):
        assert str(speed) == "Speed"
    assert list(Reason.objects.values_list("slug", flat=True)) == [
        "speed",
        "communication",
        "solution",
        "attitude",
        "knowledge",  # added by followups' root causes (issue 7), after issue 6's four
    ]


def test_a_reason_without_dutch_name_falls_back_to_english():
    reason = Reason.objects.create(slug="kindness", name_en="Kindness")
    with translation.override("nl"):
        assert str(reason) == "Kindness"


def test_a_team_offers_only_its_active_quick_picks(team):
    speed, attitude = Reason.objects.get(slug="speed"), Reason.objects.get(slug="attitude")
    team.quick_pick_reasons.set([speed, attitude])
    attitude.active = False
    attitude.save()
    assert list(team.active_reasons()) == [speed]


def test_response_submit_stores_and_changes_the_quick_picks(sent):
    speed, solution = Reason.objects.get(slug="speed"), Reason.objects.get(slug="solution")
    answer = response_submit(invitation=sent, score=9, reasons=[speed, solution])
    assert set(answer.reasons.all()) == {speed, solution}
    answer = response_submit(invitation=sent, score=6, reasons=[solution])
    assert list(answer.reasons.all()) == [solution]
    # Without the keyword a change keeps the picks (callers that know nothing of reasons).
    answer = response_submit(invitation=sent, score=7)
    assert list(answer.reasons.all()) == [solution]


@pytest.mark.parametrize(
    ("question_type", "english", "dutch"),
    [
        (QuestionType.SERVICE, "How satisfied are you with the service", "Hoe tevreden bent u"),
        (QuestionType.NPS, "How likely are you to recommend the Workplace team", "aanbeveelt"),
        (QuestionType.EFFORT, "make it to get your request handled", "makkelijk"),
    ],
)
def test_each_question_type_has_a_standard_wording(question_type, english, dutch):
    team = TeamFactory(name="Workplace", slug="workplace", question_type=question_type)
    with translation.override("en"):
        assert english in team.question()
        assert team.follow_up() == "What could we do better?"
    with translation.override("nl"):
        assert dutch in team.question()
        assert team.follow_up() == "Wat kunnen we beter doen?"


def test_an_administrator_can_reword_the_question_per_language():
    team = TeamFactory(question_en="Did we fix it?", follow_up_nl="Wat ging er mis?")
    with translation.override("en"):
        assert (team.question(), team.follow_up()) == ("Did we fix it?", "What could we do better?")
    with translation.override("nl"):
        # No Dutch wording written: Dutch requesters get the standard Dutch question, not English.
        assert team.question().startswith("Hoe waarschijnlijk")
        assert team.follow_up() == "Wat ging er mis?"


def test_admin_pages_for_the_new_models_load(admin_client, team):
    for url in [
        "/admin/surveys/reason/",
        "/admin/surveys/reason/add/",
        f"/admin/surveys/team/{team.pk}/change/",
        "/admin/surveys/linkclick/",
    ]:
        assert admin_client.get(url).status_code == 200, url
