"""Issue 13: existing anonymous answers are migrated to the unlinked form (surveys 0008),
on a database holding the old shape, without losing a score or changing a count."""

from datetime import UTC, datetime

import pytest

from .migrating import migrate, migrate_to_latest

BEFORE = [("surveys", "0006_requester_language_chosen_at")]
AFTER = [("surveys", "0008_unlink_anonymous_answers")]


@pytest.mark.django_db(transaction=True)
def test_old_anonymous_answers_lose_their_link_and_time_but_not_their_score():
    old = migrate(BEFORE)
    Team, Requester, Ticket = (old.get_model("surveys", m) for m in ("Team", "Requester", "Ticket"))
    Invitation, Response = (
        old.get_model("surveys", "Invitation"),
        old.get_model("surveys", "Response"),
    )
    LinkClick = old.get_model("surveys", "LinkClick")
    answered = datetime(2026, 11, 20, 14, 37, tzinfo=UTC)  # 15:37 in Amsterdam
    made = {}
    for slug, anonymous in (("hidden", True), ("open", False)):
        team = Team.objects.create(name=slug, slug=slug, anonymous=anonymous)
        person = Requester.objects.create(email=f"{slug}@example.org")
        ticket = Ticket.objects.create(
            source="jira", external_id=slug, team=team, requester=person, closed_at=answered
        )
        invitation = Invitation.objects.create(
            ticket=ticket,
            requester=person,
            team=team,
            status="answered",
            send_after=answered,
            sent_at=answered,
            answered_at=answered,
        )
        LinkClick.objects.create(
            invitation=invitation, clicked_at=answered, score=2, client="browser"
        )
        made[slug] = Response.objects.create(
            invitation=invitation,
            team=team,
            score=2,
            comment="slow",
            created_at=answered,
            updated_at=answered,
        )
    try:
        new = migrate(AFTER)
        Response = new.get_model("surveys", "Response")
        Invitation = new.get_model("surveys", "Invitation")
        hidden = Response.objects.get(pk=made["hidden"].pk)
        assert hidden.invitation_id is None and (hidden.score, hidden.comment) == (2, "slow")
        assert hidden.created_at == hidden.updated_at == datetime(2026, 11, 19, 23, 0, tzinfo=UTC)
        assert Invitation.objects.get(team__slug="hidden").answered_at is None
        assert (
            new.get_model("surveys", "LinkClick").objects.get(invitation__team__slug="hidden").score
            is None
        )
        # A named team's answer is left as it was.
        shown = Response.objects.get(pk=made["open"].pk)
        assert shown.invitation_id is not None and shown.created_at == answered
    finally:
        migrate_to_latest()
