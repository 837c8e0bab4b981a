"""Root causes: keyword suggestions in both languages, staff tagging, quick picks, the counts."""

from datetime import timedelta

import pytest
import time_machine

from followups.models import KeywordRule, ResponseTag
from followups.rootcauses import reason_counts, reason_trend
from surveys.models import Invitation, Reason

from .answering import answer_and_follow
from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TeamFactory, TicketFactory

pytestmark = pytest.mark.django_db


def submit(team, score, comment="", language="en", reasons=None, invitation=None):
    if invitation is None:
        invitation = InvitationFactory(
            ticket=TicketFactory(team=team, requester=RequesterFactory(language=language)),
            status=Invitation.Status.SENT,
            sent_at=NOW - timedelta(hours=1),
            expires_at=NOW + timedelta(days=60),
        )
    return answer_and_follow(invitation=invitation, score=score, comment=comment, reasons=reasons)


def tags(response):
    return {(tag.reason.slug, tag.source) for tag in response.tags.select_related("reason")}


def reason(slug):
    return Reason.objects.get(slug=slug)


class TestKeywordRules:
    def test_dutch_and_english_comments_get_suggestions(self, team, frozen):
        dutch = submit(team, 3, "Het duurde erg lang en niemand was onbeleefd maar wel bot.", "nl")
        english = submit(team, 5, "It was slow and nobody gave me an update. No update at all!")
        assert tags(dutch) == {("speed", "keyword"), ("attitude", "keyword")}
        assert tags(english) == {("speed", "keyword"), ("communication", "keyword")}

    def test_rules_of_the_other_language_do_not_apply(self, team, frozen):
        assert tags(submit(team, 3, "slow", "nl")) == set()
        assert tags(submit(team, 3, "traag", "en")) == set()

    def test_a_keyword_starts_at_a_word(self, team, frozen):
        KeywordRule.objects.create(reason=reason("speed"), language="", keywords="late")
        assert tags(submit(team, 3, "Please translate the form.")) == set()
        assert tags(submit(team, 3, "Far too late.")) == {("speed", "keyword")}

    def test_an_inactive_rule_or_reason_suggests_nothing(self, team, frozen):
        KeywordRule.objects.filter(reason__slug="speed").update(active=False)
        Reason.objects.filter(slug="attitude").update(active=False)
        assert tags(submit(team, 3, "slow and rude")) == set()

    def test_an_empty_comment_suggests_nothing(self, team, frozen):
        assert tags(submit(team, 3)) == set()

    def test_suggestions_come_on_arrival_only(self, client, bob, team, frozen):
        response = submit(team, 3, "slow")
        client.force_login(bob)
        client.post(f"/followups/responses/{response.pk}/tags/", {})  # staff: no reason
        with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
            submit(team, 2, "really slow, and rude", invitation=response.invitation)
        assert tags(response) == set()


class TestStaffTagging:
    def test_the_lead_confirms_and_replaces_suggestions(self, client, bob, team, frozen):
        response = submit(team, 3, "slow and rude")
        client.force_login(bob)
        reply = client.post(
            f"/followups/responses/{response.pk}/tags/",
            {f"r{response.pk}-reasons": [reason("speed").pk, reason("knowledge").pk]},
        )
        assert reply.status_code == 302
        assert tags(response) == {("speed", "staff"), ("knowledge", "staff")}
        assert response.tags.get(reason__slug="speed").tagged_by == bob

    def test_an_unknown_reason_is_a_400_and_changes_nothing(self, client, bob, team, frozen):
        response = submit(team, 3, "slow")
        client.force_login(bob)
        reply = client.post(
            f"/followups/responses/{response.pk}/tags/", {f"r{response.pk}-reasons": [999999]}
        )
        assert reply.status_code == 400
        assert tags(response) == {("speed", "keyword")}

    def test_outsiders_and_other_leads_get_404(
        self, client, charlie, dave, django_user_model, team, frozen
    ):
        response = submit(team, 3, "slow")
        olga = django_user_model.objects.create_user("olga")
        TeamFactory(slug="network").leads.add(olga)
        for user in (charlie, olga, dave):
            client.force_login(user)
            refused = 403 if user == charlie else 404  # charlie has no role at all
            url = f"/followups/responses/{response.pk}/tags/"
            assert (
                client.post(url, {f"r{response.pk}-reasons": [reason("speed").pk]}).status_code
                == refused
            )
            assert client.get("/followups/teams/workplace/reasons/").status_code == refused
        assert tags(response) == {("speed", "keyword")}

    def test_it_needs_post(self, client, bob, team, frozen):
        response = submit(team, 3, "slow")
        client.force_login(bob)
        assert client.get(f"/followups/responses/{response.pk}/tags/").status_code == 405


class TestCounts:
    def test_detractors_and_passives_by_frequency_with_quick_picks(
        self, client, alice, team, frozen
    ):
        submit(team, 2, "slow")  # speed (keyword)
        submit(team, 8, reasons=[reason("speed"), reason("solution")])  # passive quick picks
        submit(team, 4, "slow", reasons=[reason("speed")])  # keyword + pick: counted once
        submit(team, 10, reasons=[reason("attitude")])  # a promoter's reasons are not counted
        submit(TeamFactory(slug="network"), 1, "slow")  # another team
        rows = reason_counts(team, NOW - timedelta(days=90), NOW + timedelta(seconds=1))
        assert [(r.reason.slug, r.detractors, r.passives) for r in rows] == [
            ("speed", 2, 1),
            ("solution", 0, 1),
        ]
        client.force_login(alice)
        page = client.get("/followups/teams/workplace/")
        assert b'data-reason="speed"' in page.content
        assert b'data-reason="attitude"' not in page.content

    def test_over_time_per_month(self, team):
        with time_machine.travel(NOW - timedelta(days=62), tick=False):
            submit(team, 3, "slow")
        with time_machine.travel(NOW, tick=False):
            submit(team, 3, "slow")
            submit(team, 7, "rude")
            months, trends = reason_trend(team, NOW)
        assert [m.isoformat() for m in months][-3:] == ["2026-09-01", "2026-10-01", "2026-11-01"]
        by_slug = {t.reason.slug: t.counts for t in trends}
        assert by_slug["speed"][-3:] == [1, 0, 1]
        assert by_slug["attitude"][-1] == 1

    def test_the_reasons_page_for_the_lead(self, client, bob, team, frozen):
        response = submit(team, 3, "slow")
        client.force_login(bob)
        page = client.get("/followups/teams/workplace/reasons/")
        assert page.status_code == 200
        assert f'data-response="{response.pk}"'.encode() in page.content
        assert b'data-trend="speed"' in page.content

    def test_no_data(self, client, bob, team, frozen):
        client.force_login(bob)
        assert (
            b"No reasons tagged yet." in client.get("/followups/teams/workplace/reasons/").content
        )
        assert ResponseTag.objects.count() == 0
