"""The audit trail, read in the app by administrators and auditors (permission
audit.view_auditevent, which their roles carry); nobody can change a record."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import AuditEvent

PER_PAGE = 50


@login_required
@require_GET
def events(request):
    if not request.user.has_perm("audit.view_auditevent"):
        raise Http404  # as for every page out of reach: no hint that it exists
    action = request.GET.get("action", "")
    rows = AuditEvent.objects.select_related("actor")
    if action in AuditEvent.Action.values:
        rows = rows.filter(action=action)
    raw_page = request.GET.get("page", "1")
    number = int(raw_page) if raw_page.isdecimal() and len(raw_page) < 7 else 1
    page = Paginator(rows, PER_PAGE).get_page(number)
    context = {"page": page, "actions": AuditEvent.Action.choices, "action": action}
    return render(request, "audit/events.html", context)
