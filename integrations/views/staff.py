"""Staff pages: connectors with their recent deliveries and a test button; CSV import."""

import json

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    may_import_tickets,
    may_manage_connectors,
    may_see_connector_secret,
    staff_page,
)

from .. import hooks
from ..csv_import import decode, import_rows, parse
from ..forms import ImportCommitForm, ImportForm
from ..models import Connector
from ..signatures import sign
from ..testing import sample_call


@staff_page(may_manage_connectors)
def connector_list(request):
    connectors = Connector.objects.select_related("default_team")
    return render(request, "integrations/connector_list.html", {"connectors": connectors})


@staff_page(may_manage_connectors)
def connector_detail(request, slug):
    connector = get_object_or_404(Connector, slug=slug)
    context = {
        "connector": connector,
        "hook_url": settings.ITPULSE_BASE_URL + reverse("api-hook", args=[connector.slug]),
        "deliveries": connector.deliveries.select_related("ticket")[:25],
        "can_see_secret": may_see_connector_secret(request.user),
        "doc": f"docs/integrations/{connector.kind}.md",
    }
    return render(request, "integrations/connector_detail.html", context)


@require_POST
@staff_page(may_manage_connectors)
def connector_test(request, slug):
    """Run the tool's own documented closing call (integrations/samples/), signed with the
    connector's secret as the tool would sign it, through the hook without writing a ticket."""
    connector = get_object_or_404(Connector, slug=slug)
    now = timezone.now()
    body, headers = sample_call(connector)
    headers |= sign(connector, body, now)
    outcome = hooks.receive(connector=connector, headers=headers, body=body, now=now, test=True)
    text = outcome.reason or json.dumps(outcome.body.get("errors", outcome.body))
    if outcome.outcome == "test":
        messages.success(request, text)
    else:
        messages.error(request, text)
    return redirect("connector-detail", slug=connector.slug)


@staff_page(may_import_tickets)
def ticket_import(request):
    if request.method == "POST" and "text" in request.POST:
        commit = ImportCommitForm(request.POST)
        if commit.is_valid():
            data = commit.cleaned_data
            parsed = parse(data["text"], source=data["source"], default_team=data["default_team"])
            result = import_rows(parsed.valid)
            messages.success(
                request,
                _(
                    "Imported %(created)s tickets (%(existing)s were known already); "
                    "%(bad)s rows skipped."
                )
                % {
                    "created": result.created,
                    "existing": result.existing,
                    "bad": len(parsed.invalid),
                },
            )
            return redirect("ticket-list")
        messages.error(request, _("The import could not be read back; please upload it again."))
        return redirect("ticket-import")
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = decode(data["file"].read())
        parsed = parse(text, source=data["source"], default_team=data["default_team"])
        context["parsed"] = parsed
        context["commit"] = ImportCommitForm(
            initial={"text": text, "source": data["source"], "default_team": data["default_team"]}
        )
    return render(request, "integrations/import.html", context)
