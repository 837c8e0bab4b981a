"""One of everything, and every address that shows it: for tests that must hold on every page
(headers, no inline code, no 500s), so that a page added later is covered without a new test.

`site_with_everything` makes a user who may open every page (superuser, IT manager and an agent
with feedback of his own), a team with an answered survey and a follow-up case, a connector, a
captured survey e-mail, a live survey link and a live periodic-survey link. `page_urls` fills
every URL pattern of the project with those objects; `admin_urls` lists the admin's pages.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignInvitation
from followups.models import FollowUpCase
from integrations.services import connector_create
from surveys.emails import build_survey_email
from surveys.models import CapturedEmail, Invitation

from .factories import AgentFactory, InvitationFactory, ResponseFactory

CASE_URLS = ("followup-detail", "followup-status", "followup-owner", "followup-note")


@dataclass
class Site:
    user: object
    kwargs: dict = field(default_factory=dict)  # URL name → its kwargs
    team: object = None  # any other <slug:slug> is a team's


def site_with_everything(django_user_model, team) -> Site:
    user = django_user_model.objects.create_superuser("root", password=None)
    user.user_permissions.add(Permission.objects.get(codename="view_all_teams"))
    agent = AgentFactory(team=team, user=user, email="root@example.org", name="Root")
    now = timezone.now()
    response = ResponseFactory(
        invitation__ticket__team=team,
        invitation__ticket__agent=agent,
        score=3,
        comment="The printer still jams",
    )
    case = FollowUpCase.objects.create(
        response=response,
        team=team,
        opening_score=3,
        latest_score=3,
        opened_at=now,
        due_at=now + timedelta(days=2),
    )
    survey = InvitationFactory(ticket__team=team, status=Invitation.Status.SENT, sent_at=now)
    survey_token = survey.new_token(now)
    survey.save()
    message = build_survey_email(survey, survey_token)
    mail = CapturedEmail.objects.create(
        to=message.to[0],
        subject=message.subject,
        text=message.body,
        html=message.alternatives[0][0],
    )
    campaign = Campaign.objects.create(name="Autumn", open_questions_en="What else?")
    asked = CampaignInvitation(
        campaign=campaign, requester=survey.requester, status="sent", sent_at=now
    )
    campaign_token = asked.new_token(now)
    asked.save()
    connector = connector_create(name="Jira", slug="jira", kind="jira", secret="s3cret")
    token = {"token": survey_token}
    return Site(
        user=user,
        kwargs={
            "survey": token,
            "survey-thanks": token,
            "survey-unsubscribe": token,
            "survey-resubscribe": token,
            "campaign-survey": {"token": campaign_token},
            "campaign-thanks": {"token": campaign_token},
            "connector-detail": {"slug": connector.slug},
            "connector-test": {"slug": connector.slug},
            "api-hook": {"slug": connector.slug},
            "sent-mail-detail": {"pk": mail.pk},
            "campaign-detail": {"pk": campaign.pk},
            "agent-feedback": {"pk": agent.pk},
            "agent-feedback-export": {"pk": agent.pk},
            "invitation-resend": {"pk": survey.pk},
            "delivery-resend": {"pk": survey.pk},
            "response-tags": {"pk": response.pk},
            "rate-ticket": {"pk": response.invitation.ticket.pk},
            **{
                name: {"pk": case.pk}
                for name in (
                    "followup-detail",
                    "followup-status",
                    "followup-owner",
                    "followup-note",
                )
            },
        },
        team=team,
    )


def page_urls(site: Site) -> list[str]:
    """Every named URL of the project outside the admin (and other namespaces), filled with the
    site's objects; a parameter nobody named gets a team's slug, or 1 where only a number fits."""
    resolver = get_resolver()
    urls = []
    for name in resolver.reverse_dict:
        if not isinstance(name, str):
            continue  # the same patterns, keyed by their view
        if name in site.kwargs:
            urls.append(reverse(name, kwargs=site.kwargs[name]))
            continue
        params = resolver.reverse_dict.getlist(name)[0][0][0][1]
        try:
            urls.append(reverse(name, kwargs=dict.fromkeys(params, site.team.slug)))
        except NoReverseMatch:
            urls.append(reverse(name, kwargs=dict.fromkeys(params, 1)))
    return list(dict.fromkeys(urls))


def admin_urls() -> list[str]:
    """The admin's index, each app's index, and each model's list, add form and first object."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse("admin:app_list", args=[meta.app_label]))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
    return list(dict.fromkeys(urls))
