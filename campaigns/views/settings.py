"""Periodic surveys in the settings area (/settings/surveys/): the list with each survey's status,
a draft's set-up (create, edit), a preview of its e-mail and page as a requester sees them,
launching now (or on its date, by the beat), and cancelling. Administrators and IT managers
(accounts.access.may_manage_periodic_surveys); the results stay on the IT managers' page
(campaign-detail)."""

from datetime import timedelta

from django.contrib import messages
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import may_manage_periodic_surveys, may_see_periodic_survey_results, staff_page
from surveys import branding
from surveys.client_address import client_address
from surveys.mailpreview import preview_policy
from surveys.models import Language, Requester

from ..administration import (
    AlreadyFinished,
    NobodyToAsk,
    NotADraft,
    campaign_audience_size,
    campaign_cancel,
    campaign_launch_now,
    campaign_settings_save,
)
from ..forms import CampaignSettingsForm
from ..models import Campaign, CampaignInvitation
from ..sending import campaign_email
from .survey import CampaignForm


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _ip(request: HttpRequest) -> str | None:
    return client_address(request) or None


@staff_page(may_manage_periodic_surveys)
def survey_list(request: HttpRequest) -> HttpResponse:
    context = {
        "campaigns": Campaign.objects.order_by("-created_at", "-pk"),
        "may_see_results": may_see_periodic_survey_results(request.user),
    }
    return render(request, "campaigns/settings/survey_list.html", context)


def _survey_page(
    request: HttpRequest,
    campaign: Campaign,
    form: CampaignSettingsForm | None,
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    now = timezone.now()
    context = {
        "campaign": campaign,
        "form": form,
        "error": error,
        "may_see_results": may_see_periodic_survey_results(request.user),
        # Who would be asked if it launched now: the audience is drawn at the launch.
        "audience": campaign_audience_size(campaign, now) if not campaign.is_launched else None,
        "sent": campaign.invitations.filter(status=CampaignInvitation.Status.SENT).count()
        if campaign.is_launched
        else None,
    }
    return render(request, "campaigns/settings/survey_edit.html", context, status=status)


@staff_page(may_manage_periodic_surveys)
def survey_create(request: HttpRequest) -> HttpResponse:
    form = CampaignSettingsForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        campaign_settings_save(form=form, actor=request.user, ip=_ip(request))
        messages.success(request, _("The survey is saved as a draft."))
        return redirect("settings-survey", pk=form.instance.pk)
    status = 400 if form.errors else 200
    return render(request, "campaigns/settings/survey_create.html", {"form": form}, status=status)


@staff_page(may_manage_periodic_surveys)
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if campaign.is_launched:
        if request.method == "POST":
            return _survey_page(request, campaign, None, status=400, error=str(NotADraft.message))
        return _survey_page(request, campaign, None)
    form = CampaignSettingsForm(_posted(request), instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            changed = campaign_settings_save(form=form, actor=request.user, ip=_ip(request))
        except NotADraft:
            campaign.refresh_from_db()
            return _survey_page(request, campaign, None, status=400, error=str(NotADraft.message))
        messages.success(request, _("Saved.") if changed else _("Nothing changed."))
        return redirect("settings-survey", pk=campaign.pk)
    return _survey_page(request, campaign, form, status=400 if form.errors else 200)


@require_POST
@staff_page(may_manage_periodic_surveys)
def survey_launch(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        chosen = campaign_launch_now(campaign=campaign, actor=request.user, ip=_ip(request))
    except (NotADraft, NobodyToAsk) as refused:
        campaign.refresh_from_db()
        form = None if campaign.is_launched else CampaignSettingsForm(instance=campaign)
        return _survey_page(request, campaign, form, status=400, error=str(refused.message))
    messages.success(
        request,
        _("The survey is launched: %(count)s requesters are asked.") % {"count": chosen},
    )
    return redirect("settings-survey", pk=campaign.pk)


@require_POST
@staff_page(may_manage_periodic_surveys)
def survey_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        outcome = campaign_cancel(campaign=campaign, actor=request.user, ip=_ip(request))
    except (NotADraft, AlreadyFinished) as refused:
        return _survey_page(request, campaign, None, status=400, error=str(refused.message))
    if outcome == "removed":
        messages.success(request, _("The survey is cancelled and removed."))
        return redirect("settings-surveys")
    messages.success(
        request,
        _(
            "The survey is stopped: nothing more is sent. Links already sent work until they "
            "expire."
        ),
    )
    return redirect("settings-survey", pk=campaign.pk)


def _preview_language(request: HttpRequest) -> str:
    chosen = request.GET.get("language", "")
    return chosen if chosen in Language.values else translation.get_language() or "en"


@staff_page(may_manage_periodic_surveys)
def survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The e-mail and the survey page as a requester in the chosen language gets them, built
    by the same code as the real ones, for an example requester nothing is stored for. Its
    links lead nowhere: the preview has no token."""
    campaign = get_object_or_404(Campaign, pk=pk)
    language = _preview_language(request)
    with translation.override(language):
        name = _("Sam Example")
    example = Requester(email="requester@example.org", name=name, language=language)
    now = timezone.now()
    invitation = CampaignInvitation(
        campaign=campaign,
        requester=example,
        expires_at=(campaign.launch_at or now) + timedelta(days=campaign.link_valid_days),
    )
    mail = campaign_email(invitation, "preview")
    # (campaign_email builds it with build_email: a multipart message with its HTML part.)
    assert isinstance(mail, EmailMultiAlternatives)
    html = next((str(body) for body, kind in mail.alternatives if kind == "text/html"), "")
    with translation.override(language):
        page = render_to_string(
            "campaigns/campaign_survey.html",
            {
                **branding.brand(),
                "language_links": [],
                "campaign": campaign,
                "form": CampaignForm(questions=campaign.open_questions),
                "token": "preview",
            },
            request=request,
        )
    context = {
        "campaign": campaign,
        "language": language,
        "languages": Language.choices,
        "subject": mail.subject,
        "text": mail.body,
        "html": html,
        "page": page,
    }
    response = render(request, "campaigns/settings/survey_preview.html", context)
    # The e-mail is styled inline, as mail is: allow exactly its styles (surveys/mailpreview.py).
    response[str(CSP.HEADER_ENFORCE)] = preview_policy(html + page)
    return response
