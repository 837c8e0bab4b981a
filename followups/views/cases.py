"""Follow-up cases: the list, one case with its notes, and the forms that move it along."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_team_for_user, staff_page, teams_for_user

from ..forms import CaseNoteForm, CaseOwnerForm, CaseStatusForm
from ..models import FollowUpCase
from ..selectors import cases_for_user, get_case_for_user, team_summary
from ..services import case_note_add, case_set_owner, case_set_status

FILTERS = {
    "open": {"status": FollowUpCase.Status.OPEN},
    "all": {},
}


def _case_rows(cases):
    return cases.select_related(
        "team", "owner", "response__agent", "response__invitation__ticket"
    ).order_by("due_at", "id")


@staff_page()
def case_list(request):
    shown = request.GET.get("show", "open")
    cases = cases_for_user(request.user).filter(**FILTERS.get(shown, FILTERS["open"]))
    page = Paginator(_case_rows(cases), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": shown,
        "now": timezone.now(),
        "teams": teams_for_user(request.user),
    }
    return render(request, "followups/case_list.html", context)


@staff_page()
def team_followups(request, slug):
    team = get_team_for_user(request.user, slug)
    now = timezone.now()
    cases = FollowUpCase.objects.filter(team=team, status=FollowUpCase.Status.OPEN)
    context = {
        "team": team,
        "summary": team_summary(team, now),
        "cases": _case_rows(cases)[:100],
        "now": now,
    }
    return render(request, "followups/team.html", context)


def _detail(request, case, **forms):
    context = {
        "case": case,
        "now": timezone.now(),
        "status_form": forms.get("status_form") or CaseStatusForm(initial={"status": case.status}),
        "owner_form": forms.get("owner_form")
        or CaseOwnerForm(team=case.team, initial={"owner": case.owner_id}),
        "note_form": forms.get("note_form") or CaseNoteForm(),
        "notes": case.notes.select_related("author"),
    }
    status = 400 if forms else 200
    return render(request, "followups/case_detail.html", context, status=status)


@staff_page()
def case_detail(request, pk):
    return _detail(request, get_case_for_user(request.user, pk))


@require_POST
@staff_page()
def case_status(request, pk):
    case = get_case_for_user(request.user, pk)
    form = CaseStatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, status_form=form)
    if case_set_status(case=case, status=form.cleaned_data["status"], by=request.user):
        messages.success(request, _("Status changed."))
    return redirect("followup-detail", pk=case.pk)


@require_POST
@staff_page()
def case_owner(request, pk):
    case = get_case_for_user(request.user, pk)
    form = CaseOwnerForm(request.POST, team=case.team)
    if not form.is_valid():
        return _detail(request, case, owner_form=form)
    if case_set_owner(case=case, owner=form.cleaned_data["owner"], by=request.user):
        messages.success(request, _("Owner changed."))
    return redirect("followup-detail", pk=case.pk)


@require_POST
@staff_page()
def case_note(request, pk):
    case = get_case_for_user(request.user, pk)
    form = CaseNoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, note_form=form)
    case_note_add(case=case, text=form.cleaned_data["text"], by=request.user)
    messages.success(request, _("Note added."))
    return redirect("followup-detail", pk=case.pk)
