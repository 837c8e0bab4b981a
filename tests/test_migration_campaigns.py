"""Upgrading a database from before the campaigns app (issue 15): periodic surveys, their
invitations and answers keep their rows (campaigns 0001 takes followups' tables over), and the
permissions of the roles' groups follow the models to their new app."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from .conftest import NOW

BEFORE = [("followups", "0009_preference_moved"), ("campaigns", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # ("campaigns", None) means "not migrated at all": it has no state of its own.
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_periodic_surveys_and_their_permissions_survive_the_move():
    try:
        _check_the_move()
    finally:
        _migrate(_leaves())


def _check_the_move():
    old = _migrate(BEFORE)
    Requester = old.get_model("surveys", "Requester")
    Campaign = old.get_model("followups", "Campaign")
    Invitation = old.get_model("followups", "CampaignInvitation")
    Answer = old.get_model("followups", "CampaignAnswer")
    ann = Requester.objects.create(email="ann@example.org")
    bob = Requester.objects.create(email="bob@example.org")
    cas = Requester.objects.create(email="cas@example.org")
    campaign = Campaign.objects.create(name="Spring", status="running", launched_at=NOW, seed=7)
    sent = Invitation.objects.create(
        campaign=campaign, requester=ann, status="sent", sent_at=NOW, answered=True
    )
    planned = Invitation.objects.create(campaign=campaign, requester=bob, status="planned")
    # The old sender's worker died here: this one stayed "sending" for ever.
    stuck = Invitation.objects.create(campaign=campaign, requester=cas, status="sending")
    answer = Answer.objects.create(
        campaign=campaign, invitation=sent, score=9, answer_1="Quick.", answered_on=NOW.date()
    )
    # A group and a person granted the right to edit periodic surveys (as accounts 0002 gave the
    # administrator group; made here, since a transactional test before this one empties it).
    # Today's auth and content type models: neither table changes in these migrations.
    content_type, _ = ContentType.objects.get_or_create(app_label="followups", model="campaign")
    change, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="change_campaign", defaults={"name": "Can change"}
    )
    editors = Group.objects.create(name="survey editors")
    editors.permissions.add(change)
    editor = User.objects.create(username="eda")
    editor.user_permissions.add(change)

    new = _migrate(_leaves())
    moved = new.get_model("campaigns", "Campaign").objects.get()
    assert (moved.pk, moved.name, moved.seed, moved.status) == (campaign.pk, "Spring", 7, "running")
    invitations = new.get_model("campaigns", "CampaignInvitation").objects.order_by("id")
    assert list(invitations.values_list("id", "requester_id", "status", "answered")) == [
        (sent.pk, ann.pk, "sent", True),
        (planned.pk, bob.pk, "planned", False),
        (stuck.pk, cas.pk, "sending", False),
    ]
    # Rows of the delivery engine now: the planned one is due since the launch, the stuck one
    # has a claim time, so that the engine's reclaim puts it back in line.
    assert invitations.get(pk=planned.pk).send_after == NOW
    assert invitations.get(pk=stuck.pk).claimed_at is not None
    kept = new.get_model("campaigns", "CampaignAnswer").objects.get()
    assert (kept.pk, kept.invitation_id, kept.score, kept.answer_1) == (
        answer.pk,
        sent.pk,
        9,
        "Quick.",
    )
    assert not ContentType.objects.filter(app_label="followups", model__startswith="campaign")
    granted = ("campaigns", "change_campaign")
    group = Group.objects.get(name="survey editors")
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [granted]
    user = User.objects.get(username="eda")
    assert list(user.user_permissions.values_list("content_type__app_label", "codename")) == [
        granted
    ]
