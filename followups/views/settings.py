"""Reasons and keyword rules in the settings area (/settings/reasons/): the organisation's one set
of reasons (surveys.Reason, used by requesters' quick picks, staff tagging and follow-up) and
the keyword rules that suggest them on arrival. Administrators and IT managers
(accounts.access.may_manage_reasons); switching off replaces deleting (reason_setup.py)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import may_manage_reasons, staff_page
from surveys.client_address import client_address
from surveys.models import Reason

from ..forms import KeywordRuleForm, ReasonForm
from ..models import KeywordRule
from ..reason_setup import reasons_settings_save


@staff_page(may_manage_reasons)
def reason_list(request: HttpRequest) -> HttpResponse:
    reasons = Reason.objects.annotate(
        rules=Count("keyword_rules", filter=Q(keyword_rules__active=True))
    ).order_by("position", "slug")
    rules = KeywordRule.objects.select_related("reason").order_by(
        "reason__position", "reason__slug", "language", "pk"
    )
    return render(
        request, "followups/settings/reason_list.html", {"reasons": reasons, "rules": rules}
    )


def _form_page(
    request: HttpRequest, form: ModelForm, *, template: str, created: str, **extra
) -> HttpResponse:
    """Save a valid POST and go back to the list, saying so; else the form, with its messages
    and a 400 after a wrong POST, nothing written."""
    if request.method == "POST" and form.is_valid():
        adding = form.instance._state.adding
        changed = reasons_settings_save(
            form=form, actor=request.user, ip=client_address(request) or None
        )
        if adding:
            messages.success(request, created)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
        return redirect("settings-reasons")
    status = 400 if form.errors else 200
    return render(request, template, {"form": form, **extra}, status=status)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@staff_page(may_manage_reasons)
def reason_create(request: HttpRequest) -> HttpResponse:
    form = ReasonForm(_posted(request))
    return _form_page(
        request,
        form,
        template="followups/settings/reason_form.html",
        created=_("The reason is added."),
    )


@staff_page(may_manage_reasons)
def reason_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reason = get_object_or_404(Reason, pk=pk)
    form = ReasonForm(_posted(request), instance=reason)
    return _form_page(
        request,
        form,
        template="followups/settings/reason_form.html",
        created="",
        reason=reason,
    )


@staff_page(may_manage_reasons)
def keyword_rule_create(request: HttpRequest) -> HttpResponse:
    initial = {"reason": request.GET.get("reason")} if request.method == "GET" else None
    form = KeywordRuleForm(_posted(request), initial=initial)
    return _form_page(
        request,
        form,
        template="followups/settings/keyword_rule_form.html",
        created=_("The keyword rule is added: it suggests its reason from the next answer on."),
    )


@staff_page(may_manage_reasons)
def keyword_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(KeywordRule, pk=pk)
    form = KeywordRuleForm(_posted(request), instance=rule)
    return _form_page(
        request,
        form,
        template="followups/settings/keyword_rule_form.html",
        created="",
        rule=rule,
    )
