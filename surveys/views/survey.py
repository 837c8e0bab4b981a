"""The requester's side: the page behind every score link. No account needed.

Mail scanners (Outlook Safe Links and friends) open every link in an e-mail, so a GET only ever
shows the form with the score pre-selected (and records the click for scanner detection); an
answer is stored only by the form's POST.

Every page here is private to the link's owner: it sends `Referrer-Policy: no-referrer` (the
token is in the URL), `Cache-Control: no-store` and a Content-Security-Policy that allows
nothing from other hosts and no script at all; the pages work fully without JavaScript.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.csp import CSP
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import branding
from ..csrf import no_referrer_csrf_protect
from ..forms import SurveyForm
from ..params import ascii_int
from ..questions import scale_ends
from ..scales import scale_for
from ..services import (
    AlreadyAnswered,
    NotAnswerable,
    ScoreOutOfScale,
    answer_for_link,
    answer_question_type,
    invitation_for_token,
    link_click_record,
    requester_language_choose,
    requester_opt_in,
    requester_opt_out,
    response_submit,
)

SURVEY_CSP: dict[str, list[str]] = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.SELF],
    # Bootstrap draws check marks and select arrows as data: SVGs.
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def private(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    return never_cache(csp_override(SURVEY_CSP)(wrapped))


def _language(request: HttpRequest, invitation) -> str:
    """The page's language: the switch's choice, else the requester's, else the browser's."""
    chosen = request.GET.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    if invitation is not None:
        return invitation.requester.language
    return translation.get_language_from_request(request)


def _with_lang(url: str, request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    return f"{url}?{urlencode({'lang': lang})}" if lang in LANGUAGES else url


def _switch_links(request: HttpRequest, current: str) -> list[dict]:
    params = {k: v for k, v in request.GET.items() if k in ("score",)}
    return [
        {
            "code": code,
            "name": name,
            "url": f"{request.path}?{urlencode({**params, 'lang': code})}",
            "current": code == current,
        }
        for code, name in (("nl", "Nederlands"), ("en", "English"))
    ]


def _render(request, template, context, *, language, status=200):
    translation.activate(language)
    context = {
        **branding.brand(),
        "language_links": _switch_links(request, language),
        "page_language": language,
        **context,
    }
    return render(request, template, context, status=status)


def _unknown(request):
    return _render(
        request, "surveys/link_unknown.html", {}, language=_language(request, None), status=404
    )


def _expired(request, invitation):
    return _render(
        request,
        "surveys/link_expired.html",
        {"invitation": invitation},
        language=_language(request, invitation),
        status=410,
    )


def _opted_out(request, invitation, token):
    context = {"invitation": invitation, "token": token, "opted_out": True}
    return _render(
        request, "surveys/unsubscribe.html", context, language=_language(request, invitation)
    )


@csrf_exempt
@private
@require_http_methods(["GET", "POST"])
@no_referrer_csrf_protect
def survey(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    # (A link's invitation has its requester: unlinking clears both; said for the type checker.)
    if invitation is None or invitation.requester is None:
        return _unknown(request)
    language = _language(request, invitation)
    translation.activate(language)
    now = timezone.now()
    score = ascii_int(request.GET.get("score"), max_digits=2)
    if request.method == "GET":
        link_click_record(
            invitation=invitation,
            score=score,
            user_agent=request.headers.get("User-Agent", ""),
            now=now,
        )
    if invitation.requester.is_opted_out:
        return _opted_out(request, invitation, token)
    if not invitation.is_answerable(now):
        return _expired(request, invitation)

    team = invitation.team
    answer = answer_for_link(invitation, token)
    if answer is None and invitation.status == invitation.Status.ANSWERED and team.anonymous:
        return _answered_elsewhere(request, invitation, token)
    question_type = answer_question_type(invitation, answer)
    # A score in the link outside the scale asked (an e-mail sent before the team changed its
    # question type, a hand-made link) is not pre-selected: the requester picks again.
    score = score if score in scale_for(question_type).scores else None
    if request.method == "POST":
        offered = getattr(invitation, "reasons_offered", None)
        form = SurveyForm(
            request.POST, team=team, question_type=question_type, reasons_offered=offered
        )
        if form.is_valid():
            try:
                response_submit(
                    invitation=invitation,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    reasons=form.cleaned_data.get("reasons", []),
                    now=now,
                    token=token,
                )
            except AlreadyAnswered:
                return _answered_elsewhere(request, invitation, token)
            except NotAnswerable:
                return _expired(request, invitation)
            except ScoreOutOfScale:
                # The team changed its question type between showing this form and its POST:
                # the form again on the new scale, whose check now says what is wrong.
                team.refresh_from_db(fields=["question_type"])
                question_type = team.question_type
                form = SurveyForm(request.POST, team=team, question_type=question_type)
                form.is_valid()
            else:
                if (chosen := request.GET.get("lang", "")) in LANGUAGES:
                    # Picked with the switch and then answered: a person, not a link scanner.
                    requester_language_choose(
                        requester=invitation.requester,
                        language=chosen,
                        now=now,
                        invitation=invitation,
                    )
                return redirect(_with_lang(reverse("survey-thanks", args=[token]), request))
    else:
        initial: dict[str, object] = {"comment": answer.comment if answer else ""}
        if answer and getattr(invitation, "reasons_offered", True):
            initial["reasons"] = list(answer.reasons.all())
        if score is not None:
            initial["score"] = score
        elif answer:
            initial["score"] = answer.score
        form = SurveyForm(
            initial=initial,
            team=team,
            question_type=question_type,
            reasons_offered=getattr(invitation, "reasons_offered", None),
        )
    low, high = scale_ends(question_type)
    context = {
        "form": form,
        "invitation": invitation,
        "agent": invitation.agent if team.show_agent else None,
        "question": team.question(),
        "scale_low": low,
        "scale_high": high,
        "answer": answer,
        "token": token,
        "reason_field": form["reasons"] if "reasons" in form.fields else None,
    }
    return _render(request, "surveys/survey.html", context, language=language)


@private
@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None or invitation.status != invitation.Status.ANSWERED:
        return _unknown(request)
    answer = answer_for_link(invitation, token)
    if answer is None:
        return _answered_elsewhere(request, invitation, token)
    now = timezone.now()
    context = {
        "invitation": invitation,
        "answer": answer,
        "token": token,
        "can_change": invitation.is_answerable(now),
        "change_url": _with_lang(reverse("survey", args=[token]), request),
    }
    return _render(request, "surveys/thanks.html", context, language=_language(request, invitation))


def _answered_elsewhere(request, invitation, token):
    """An anonymous answer given through the invitation's other link (first e-mail or
    reminder): only that link can find it again, so this page thanks without showing it."""
    context = {"invitation": invitation, "answer": None, "token": token, "can_change": False}
    return _render(request, "surveys/thanks.html", context, language=_language(request, invitation))


# A mail client's one-click unsubscribe (RFC 8058) POSTs here with no cookies and no CSRF
# token, so this POST cannot be CSRF-protected; it is safe to leave open because it needs the
# link token and only ever stops e-mail (the opposite, resubscribing, is protected below).
@csrf_exempt
@private
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    # (A link's invitation has its requester: unlinking clears both; said for the type checker.)
    if invitation is None or invitation.requester is None:
        return _unknown(request)
    requester = invitation.requester
    just_now = False
    if request.method == "POST":
        just_now = requester_opt_out(requester=requester)
    context = {
        "invitation": invitation,
        "token": token,
        "opted_out": requester.is_opted_out,
        "just_now": just_now or request.method == "POST",
    }
    return _render(
        request, "surveys/unsubscribe.html", context, language=_language(request, invitation)
    )


@csrf_exempt
@private
@require_POST
@no_referrer_csrf_protect
def resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    # (A link's invitation has its requester: unlinking clears both; said for the type checker.)
    if invitation is None or invitation.requester is None:
        return _unknown(request)
    requester_opt_in(requester=invitation.requester)
    context = {
        "invitation": invitation,
        "token": token,
        "opted_out": False,
        "resubscribed": True,
        "can_answer": invitation.is_answerable(timezone.now()),
        "survey_url": _with_lang(reverse("survey", args=[token]), request),
    }
    return _render(
        request, "surveys/unsubscribe.html", context, language=_language(request, invitation)
    )


@require_GET
@cache_control(public=True, max_age=3600)
def brand_css(request: HttpRequest) -> HttpResponse:
    """The brand colour as CSS variables, so that the pages need no inline styles (CSP)."""
    colours = branding.brand()
    css = f":root{{--itp-brand:{colours['colour']};--itp-brand-text:{colours['colour_text']};}}\n"
    return HttpResponse(css, content_type="text/css")
