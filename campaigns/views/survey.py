"""The periodic survey: the requester's page behind each link (GET never records) and the
results pages for IT managers (its set-up is in settings.py)."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import is_it_manager, staff_page
from surveys import branding
from surveys.csrf import no_referrer_csrf_protect
from surveys.forms import score_field
from surveys.params import ascii_int
from surveys.privacy import min_group
from surveys.scales import NPS
from surveys.services import requester_opt_out
from surveys.views.survey import private

from ..models import Campaign, CampaignInvitation
from ..services import (
    NotAnswerable,
    campaign_answer_submit,
    campaign_invitation_for_token,
    campaign_results,
)


class CampaignForm(forms.Form):
    score = score_field()

    def __init__(self, *args: Any, questions: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, question in enumerate(questions, start=1):
            self.fields[f"answer_{number}"] = forms.CharField(
                label=question,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def answers(self) -> list[str]:
        return [self.cleaned_data.get(f"answer_{n}", "") for n in (1, 2, 3)]


def _page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    invitation: CampaignInvitation | None,
    status: int = 200,
) -> HttpResponse:
    requester = invitation.requester if invitation else None
    language = requester.language if requester else translation.get_language()
    translation.activate(language)
    context = {**branding.brand(), "language_links": [], **context}
    return render(request, template, context, status=status)


@csrf_exempt
@private
@require_http_methods(["GET", "POST"])
@no_referrer_csrf_protect
def campaign_survey(request: HttpRequest, token: str) -> HttpResponse:
    invitation = campaign_invitation_for_token(token)
    # (A link's invitation has its requester: unlinking clears both; said for the type checker.)
    if invitation is None or invitation.requester is None:
        return _page(request, "campaigns/campaign_gone.html", {"gone": False}, None, 404)
    now = timezone.now()
    if invitation.answered:
        return redirect("campaign-thanks", token=token)
    if not invitation.is_answerable(now):
        return _page(request, "campaigns/campaign_gone.html", {"gone": True}, invitation, 410)
    campaign = invitation.campaign
    translation.activate(invitation.requester.language)
    questions = campaign.open_questions
    if request.method == "POST":
        form = CampaignForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                campaign_answer_submit(
                    invitation=invitation,
                    score=form.cleaned_data["score"],
                    answers=form.answers(),
                    now=now,
                )
            except NotAnswerable:
                return redirect("campaign-thanks", token=token)
            return redirect("campaign-thanks", token=token)
    else:
        score = ascii_int(request.GET.get("score"), max_digits=2)
        initial = {"score": score} if score in NPS.scores else {}
        form = CampaignForm(initial=initial, questions=questions)
    context = {"campaign": campaign, "form": form, "token": token}
    status = 400 if request.method == "POST" else 200
    return _page(request, "campaigns/campaign_survey.html", context, invitation, status)


# The same one-click opt-out as a ticket survey's (surveys/views/survey.py unsubscribe): a mail
# client's RFC 8058 POST comes with no cookies and no CSRF token; it needs the link's token and
# only ever stops e-mail, so it is safe to leave open.
@csrf_exempt
@private
@require_http_methods(["GET", "POST"])
def campaign_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    invitation = campaign_invitation_for_token(token)
    if invitation is None or invitation.requester is None:
        return _page(request, "campaigns/campaign_gone.html", {"gone": False}, None, 404)
    requester = invitation.requester
    if request.method == "POST":
        requester_opt_out(requester=requester)
    context = {"opted_out": requester.is_opted_out, "token": token}
    return _page(request, "campaigns/campaign_unsubscribe.html", context, invitation)


@private
@require_GET
def campaign_thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation = campaign_invitation_for_token(token)
    if invitation is None or not invitation.answered:
        return _page(request, "campaigns/campaign_gone.html", {"gone": False}, None, 404)
    context = {"campaign": invitation.campaign}
    return _page(request, "campaigns/campaign_thanks.html", context, invitation)


@staff_page(is_it_manager)
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "campaigns/campaign_list.html", {"campaigns": Campaign.objects.all()})


@staff_page(is_it_manager)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    results = campaign_results(campaign)
    context = {"campaign": campaign, "results": results, "min_group": min_group()}
    return render(request, "campaigns/campaign_results.html", context)
