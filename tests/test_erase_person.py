"""Issue 13, point 4: `manage.py erase_person EMAIL` removes everything held about a person,
keeps their bare scores as unlinked counts (team figures and rollups unchanged), keeps an
opt-out only as the address's hash, and is harmless to repeat."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from campaigns.models import Campaign, CampaignAnswer, CampaignInvitation
from campaigns.services import eligible_requester_ids
from delivery.digests import digest_send
from delivery.models import SuppressedAddress, address_hash
from delivery.rules import OPTED_OUT
from followups.models import CaseAlert, CaseNote, FollowUpCase
from surveys.models import CapturedEmail, Invitation, Requester, Response, Ticket
from surveys.services import requester_opt_out, ticket_close
from surveys.unlinked import answer_day

from .conftest import NOW
from .factories import ResponseFactory
from .people import figures, person_with_everything, text_holding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rollups_checked")]

ANN = "ann@example.org"
HASH = address_hash(ANN)


@pytest.fixture
def ann(team, frozen, django_user_model):
    staff = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    return person_with_everything(ANN, team, when=NOW - timedelta(days=3), staff=staff)


@pytest.fixture
def bert(team, frozen):
    """Someone else, who must keep everything."""
    return ResponseFactory(
        invitation__ticket__team=team,
        invitation__ticket__requester__email="bert@example.org",
        invitation__sent_at=NOW - timedelta(days=1),
        comment="Bert's comment",
        created_at=NOW,
    )


def erase(email: str = ANN) -> str:
    out = StringIO()
    call_command("erase_person", email, stdout=out)
    return out.getvalue()


def test_the_person_is_untraceable_afterwards(ann, bert):
    assert text_holding(ANN)  # the search finds the address before
    printed = erase("  Ann@Example.org ")
    assert text_holding(ANN) == []
    assert text_holding("Ann Example") == []
    for comment in ("Far too slow", "Quick fix", "printer fixed", "self-service", "Dear Ann"):
        assert text_holding(comment) == [], comment
    assert "Erased." in printed
    assert not Requester.objects.filter(email=ANN).exists()


def test_it_prints_what_it_removed_per_kind(ann):
    printed = erase()
    for line in (
        "planned surveys: 1",
        "case notes: 1",
        "customer ratings: 1",
        "link clicks: 1",
        "connector deliveries: 1",
        "sent mail copies: 1",
        "admin history entries: 1",
        "answers unlinked: 2",
        "surveys unlinked: 3",
        "periodic answers unlinked: 1",
        "periodic surveys unlinked: 1",
        "tickets: 4",
        "requesters: 1",
        "opt-outs kept as a hash: 0",
    ):
        assert line in printed.splitlines(), line


def test_the_dashboards_figures_do_not_change(ann, bert, team):
    before = figures(team, ann.campaign, NOW)
    erase()
    assert figures(team, ann.campaign, NOW) == before


def test_the_scores_stay_as_unlinked_answers_and_counted_surveys(ann, team):
    erase()
    kept = Response.objects.filter(pk__in=[answer.pk for answer in ann.answers])
    for response in kept:
        assert response.invitation_id is None and response.link_key is None
        assert response.comment == ""
        assert response.created_at == answer_day(NOW - timedelta(days=3))
        assert list(response.reasons.values_list("slug", flat=True)) == ["speed"]
    assert sorted(kept.values_list("score", flat=True)) == [2, 9]
    surveys = Invitation.objects.filter(team=team)
    assert sorted(surveys.values_list("status", flat=True)) == ["answered", "answered", "sent"]
    assert not surveys.filter(ticket__isnull=False).exists()
    assert not surveys.filter(requester__isnull=False).exists()
    assert not surveys.exclude(token_hash=None).exists()
    assert set(surveys.values_list("sent_at", flat=True)) == {answer_day(NOW - timedelta(days=3))}
    assert not Ticket.objects.exists()
    # The follow-up case stays for the team's follow-up figures, without its notes.
    assert FollowUpCase.objects.count() == 1 and not CaseNote.objects.exists()
    periodic = CampaignInvitation.objects.get()
    assert (periodic.requester, periodic.token_hash, periodic.answered) == (None, None, True)
    answer = CampaignAnswer.objects.get()
    assert (answer.invitation, answer.score, answer.answer_1) == (None, 6, "")


def test_the_other_people_keep_everything(ann, bert):
    erase()
    bert.refresh_from_db()
    assert bert.invitation.requester.email == "bert@example.org"
    assert bert.comment == "Bert's comment"


def test_an_opted_out_person_stays_unsurveyed_by_hash_only(ann, bert, team):
    requester_opt_out(requester=ann.requester)
    printed = erase()
    assert "opt-outs kept as a hash: 1" in printed.splitlines()
    kept = SuppressedAddress.objects.get()
    assert (kept.email, kept.email_hash, kept.reason) == (None, HASH, "opted_out")
    assert text_holding(ANN) == []
    # A later ticket for the same address makes a new requester, who is still not surveyed.
    invitation = ticket_close(
        source="jira",
        external_id="SD-LATER",
        team=team,
        requester_email=ANN,
        closed_at=NOW,
    ).ticket.invitation
    assert (invitation.status, invitation.reason) == (Invitation.Status.SUPPRESSED, OPTED_OUT)
    # Nor is the new requester drawn for a periodic survey.
    autumn = Campaign.objects.create(name="Autumn", lookback_days=30, not_surveyed_days=0)
    assert invitation.requester_id not in eligible_requester_ids(autumn, NOW)
    assert eligible_requester_ids(autumn, NOW) == [bert.invitation.requester_id]


def test_a_person_who_never_opted_out_leaves_no_suppression(ann, team):
    SuppressedAddress.objects.create(email=ANN, reason="bounced", created_at=NOW)
    erase()
    assert not SuppressedAddress.objects.exists()
    invitation = ticket_close(
        source="jira", external_id="SD-LATER", team=team, requester_email=ANN, closed_at=NOW
    ).ticket.invitation
    assert invitation.status == Invitation.Status.PLANNED


def test_the_audit_record_names_the_hash_only(ann):
    erase()
    event = AuditEvent.objects.get(action=AuditEvent.Action.PERSON_ERASED)
    assert (event.target, event.actor_label) == (f"sha256:{HASH}", "manage.py erase_person")
    assert event.details["answers unlinked"] == 2
    assert ANN not in str(event.details)


def test_an_unknown_address_fails_with_a_clear_line(db):
    with pytest.raises(CommandError, match="Nothing is held about this address"):
        erase("nobody@example.org")
    assert not AuditEvent.objects.exists()


def test_a_bad_address_is_refused(db):
    with pytest.raises(CommandError, match="is not an e-mail address"):
        erase("not-an-address")


def test_erasing_twice_is_harmless(ann, team):
    erase()
    before = figures(team, ann.campaign, NOW)
    printed = erase()
    assert "Nothing is held about this address any more: it was erased on" in printed
    assert figures(team, ann.campaign, NOW) == before
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PERSON_ERASED).count() == 1


def test_copies_of_mails_quoting_the_persons_comments_go_too(ann, bob, settings):
    """On the embedded default every mail is kept as a copy, and the team lead's weekly digest
    quotes the week's comments: not the address, but the person's own words."""
    settings.MAILERS = {"default": {"BACKEND": "surveys.mail.CapturingEmailBackend"}}
    bob.email = "bob@example.org"
    bob.save()
    assert digest_send(user_id=bob.id, kind="lead", period_until=NOW.date() - timedelta(days=1))
    assert "Far too slow, Ann" in CapturedEmail.objects.get(to="bob@example.org").text
    erase()
    for comment in ("Far too slow", "Quick fix"):
        assert text_holding(comment) == [], comment


def test_the_follow_up_case_keeps_no_time_of_the_answer(ann, bob):
    """The case was opened, and its leads alerted, the moment the answer came: kept as they
    were, those times would give the unlinked score back its time of day."""
    case = FollowUpCase.objects.get()
    FollowUpCase.objects.filter(pk=case.pk).update(alerted_at=case.opened_at)
    at = case.opened_at
    alert = CaseAlert.objects.create(
        case=case, lead=bob, status="sent", send_after=at, claimed_at=at, sent_at=at
    )
    erase()
    case.refresh_from_db()
    alert.refresh_from_db()
    midnight = answer_day(NOW - timedelta(days=3))
    assert case.opened_at == case.alerted_at == midnight
    assert alert.send_after == alert.claimed_at == alert.sent_at == midnight
    # Its deadline and follow-up keep their distance from the opening: the team's "followed
    # up in time" figure stays as it was.
    assert case.due_at - case.opened_at == timedelta(days=2)
    assert case.followed_up_in_time
