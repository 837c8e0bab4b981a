"""Issue 13, point 3: `manage.py apply_retention [--dry-run]` and its daily beat task remove
everything personal from answers, tickets and people older than ITPULSE_RETENTION_DAYS, and
sent mail and delivery logs older than ITPULSE_MAIL_RETENTION_DAYS, keeping the figures."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from audit.models import AuditEvent
from delivery.models import SuppressedAddress, address_hash
from itpulse.celery import app as celery_app
from itpulse.settings import _days
from privacy import retention
from privacy.tasks import apply_retention
from surveys.models import Invitation, Requester, Response, Ticket
from surveys.services import requester_opt_out

from .conftest import NOW
from .factories import InvitationFactory, ResponseFactory
from .people import figures, person_with_everything, text_holding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rollups_checked")]

OLD = NOW - timedelta(days=800)
RECENT = NOW - timedelta(days=3)


@pytest.fixture
def people(team, frozen, django_user_model):
    staff = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    ann = person_with_everything("ann@example.org", team, when=OLD, staff=staff)
    bert = person_with_everything("bert@example.org", team, when=RECENT, staff=staff)
    return ann, bert


def apply(*args: str) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def everything() -> dict:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
    }


def test_a_dry_run_prints_what_it_would_remove_and_changes_nothing(people):
    before = everything()
    printed = apply("--dry-run").splitlines()
    assert everything() == before
    for line in (
        "comments: 2 would remove",
        "answers unlinked: 2 would remove",
        "case notes: 1 would remove",
        "tickets unlinked: 4 would remove",
        "surveys unlinked: 3 would remove",
        "customer ratings: 1 would remove",
        "periodic answers unlinked: 1 would remove",
        "periodic surveys unlinked: 1 would remove",
        "requesters: 0 would remove",  # ann still has a planned survey
        "admin history entries: 1 would remove",
        "sent mail copies: 1 would remove",
        "connector deliveries: 1 would remove",
        "link clicks: 1 would remove",
        "Dry run: nothing was changed.",
    ):
        assert line in printed, line


def test_old_personal_data_goes_and_new_stays(people):
    ann, bert = people
    Invitation.objects.filter(status=Invitation.Status.PLANNED).delete()
    printed = apply().splitlines()
    assert "requesters: 1" in printed and "comments: 2" in printed
    assert text_holding(ann.email) == []
    for text in ("Ann Example", "Far too slow, Ann", "thanks Ann", "(Ann)", "Dear Ann"):
        assert text_holding(text) == [], text
    assert not Requester.objects.filter(email=ann.email).exists()
    # Bert's answers are recent: all of it stays.
    assert Requester.objects.filter(email=bert.email).exists()
    recent = Response.objects.filter(pk__in=[answer.pk for answer in bert.answers])
    assert all(answer.invitation.requester_id for answer in recent)
    comments = sorted(recent.values_list("comment", flat=True))
    assert comments == ["Far too slow, Bert", "Quick fix, thanks Bert"]
    assert text_holding("Bert Example") and text_holding("Dear Bert")
    assert AuditEvent.objects.get().action == AuditEvent.Action.RETENTION_APPLIED


def test_old_tickets_and_surveys_stay_as_counts(people):
    ann, _bert = people
    apply()
    old = Ticket.objects.filter(closed_at__lt=NOW - timedelta(days=730))
    assert old.count() == 4
    assert set(old.values_list("requester", "subject")) == {(None, "")}
    surveys = Invitation.objects.filter(ticket__in=old).exclude(status="planned")
    assert set(surveys.values_list("requester", "token_hash")) == {(None, None)}
    for answer in Response.objects.filter(pk__in=[answer.pk for answer in ann.answers]):
        assert (answer.invitation, answer.comment, answer.link_key) == (None, "", None)


def test_the_figures_do_not_change(people, team):
    ann, bert = people
    before = [figures(team, ann.campaign, NOW), figures(team, bert.campaign, NOW)]
    apply()
    assert [figures(team, ann.campaign, NOW), figures(team, bert.campaign, NOW)] == before


def test_someone_with_a_newer_ticket_is_kept_but_unlinked_from_the_old_one(people, team):
    _ann, bert = people
    old = ResponseFactory(
        invitation__ticket__team=team,
        invitation__ticket__requester=bert.requester,
        invitation__ticket__closed_at=OLD,
        invitation__sent_at=OLD,
        created_at=OLD,
        comment="old news",
    )
    apply()
    old.refresh_from_db()
    assert (old.invitation, old.comment) == (None, "")
    assert not Ticket.objects.filter(requester=bert.requester, closed_at=OLD).exists()
    assert Requester.objects.filter(pk=bert.requester.pk).exists()


def test_an_old_opt_out_is_kept_as_a_hash(team, frozen):
    gone = InvitationFactory(
        ticket__team=team,
        ticket__closed_at=OLD,
        status=Invitation.Status.SENT,
        sent_at=OLD,
    ).requester
    requester_opt_out(requester=gone)
    printed = apply().splitlines()
    assert "opt-outs kept as a hash: 1" in printed
    kept = SuppressedAddress.objects.get()
    assert (kept.email, kept.email_hash) == (None, address_hash(gone.email))


def test_old_anonymous_comments_go_too(team, frozen):
    anonymous = ResponseFactory(
        invitation=None, team=team, agent=None, comment="secret", link_key="k" * 64, created_at=OLD
    )
    apply()
    anonymous.refresh_from_db()
    assert (anonymous.comment, anonymous.link_key, anonymous.score) == ("", None, 9)


def test_it_works_in_batches_and_a_second_run_finds_nothing(people, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 1)
    first = apply().splitlines()
    assert "answers unlinked: 2" in first
    second = apply().splitlines()
    assert "Done (removed 0 in all)." in second
    assert AuditEvent.objects.count() == 1


def test_the_limits_come_from_the_settings(people, settings):
    settings.ITPULSE_RETENTION_DAYS = 900
    settings.ITPULSE_MAIL_RETENTION_DAYS = 1
    printed = apply("--dry-run").splitlines()
    assert "comments: 0 would remove" in printed
    assert "sent mail copies: 2 would remove" in printed


@pytest.mark.parametrize("raw", ["0", "-5", "two years", "7.5"])
def test_a_bad_number_of_days_stops_the_start(monkeypatch, raw):
    monkeypatch.setenv("ITPULSE_RETENTION_DAYS", raw)
    with pytest.raises(ImproperlyConfigured, match="ITPULSE_RETENTION_DAYS must be a whole"):
        _days("ITPULSE_RETENTION_DAYS", 730)


def test_the_defaults():
    assert (settings.ITPULSE_RETENTION_DAYS, settings.ITPULSE_MAIL_RETENTION_DAYS) == (730, 30)


def test_the_beat_runs_it_daily(people):
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "privacy.tasks.apply_retention"
    ]
    assert entry["schedule"].remaining_estimate(NOW) <= timedelta(days=1)
    assert apply_retention.name == entry["task"]
    assert celery_app.tasks[entry["task"]].name == apply_retention.name
    counts = apply_retention.delay().get()
    assert counts["comments"] == 2
    assert AuditEvent.objects.get().actor_label == "celery beat"
