"""The requester's side: the page behind every score link. No account, no cookies needed.

Mail scanners (Outlook Safe Links and friends) open every link in an e-mail, so a GET only ever
shows the form with the score pre-selected; an answer is stored only by the form's POST.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..forms import SurveyForm
from ..services import NotAnswerable, invitation_for_token, link_click_record, response_submit


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the URL: never leak it to another site through the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _gone(request, invitation, status):
    template = "surveys/link_expired.html" if status == 410 else "surveys/link_unknown.html"
    return _private(render(request, template, {"invitation": invitation}, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return _gone(request, None, 404)
    translation.activate(invitation.requester.language)
    now = timezone.now()
    score = request.GET.get("score", "")
    score = int(score) if score.isdigit() and 0 <= int(score) <= 10 else None
    if request.method == "GET":
        link_click_record(
            invitation=invitation,
            score=score,
            user_agent=request.headers.get("User-Agent", ""),
            now=now,
        )
    if not invitation.is_answerable(now):
        return _gone(request, invitation, 410)

    answer = getattr(invitation, "response", None)
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                response_submit(
                    invitation=invitation,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    now=now,
                )
            except NotAnswerable:
                return _gone(request, invitation, 410)
            return redirect("survey-thanks", token=token)
    else:
        initial = {"comment": answer.comment if answer else ""}
        if score is not None:
            initial["score"] = score
        elif answer:
            initial["score"] = answer.score
        form = SurveyForm(initial=initial)
    context = {"form": form, "invitation": invitation, "answer": answer, "token": token}
    return _private(render(request, "surveys/survey.html", context))


@never_cache
@require_http_methods(["GET"])
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None or not hasattr(invitation, "response"):
        return _gone(request, None, 404)
    translation.activate(invitation.requester.language)
    context = {
        "invitation": invitation,
        "answer": invitation.response,
        "token": token,
        "can_change": invitation.is_answerable(timezone.now()),
    }
    return _private(render(request, "surveys/thanks.html", context))
