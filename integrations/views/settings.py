"""Connectors in the settings area (/settings/connectors/): the list, one connector with its
last deliveries and the test event, adding one, changing it, switching it off, a new secret.

A secret is shown once, in the response to the POST that made it (never cached, never
redirected through a session), and never on the page afterwards. The old staff addresses
(/staff/connectors/…) redirect here (integrations/urls.py)."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.access import (
    may_add_connectors,
    may_change_connectors,
    may_manage_connectors,
    staff_page,
)
from surveys.client_address import client_address

from .. import hooks
from ..connector_forms import ConnectorForm
from ..models import Connector
from ..services import connector_new_secret, connector_save, connector_set_active
from ..signatures import sign
from ..testing import sample_call

_SECRETS = ("new_secret", "new_api_token")


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@staff_page(may_manage_connectors)
def connector_list(request: HttpRequest) -> HttpResponse:
    connectors = Connector.objects.select_related("default_team")
    context = {"connectors": connectors, "may_add": may_add_connectors(request.user)}
    return render(request, "integrations/settings/connector_list.html", context)


def _detail(request: HttpRequest, connector: Connector, *, secret: str = "") -> HttpResponse:
    context = {
        "connector": connector,
        "hook_url": settings.ITPULSE_BASE_URL + reverse("api-hook", args=[connector.slug]),
        "deliveries": connector.deliveries.select_related("ticket")[:25],
        "may_change": may_change_connectors(request.user),
        "doc": f"docs/integrations/{connector.kind}.md",
        "secret": secret,
    }
    return render(request, "integrations/settings/connector_detail.html", context)


@never_cache
@staff_page(may_manage_connectors)
def connector_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail(request, get_object_or_404(Connector, slug=slug))


@never_cache  # the answer to a valid POST shows the new secret
@sensitive_post_parameters(*_SECRETS)
@staff_page(may_add_connectors)
def connector_create(request: HttpRequest) -> HttpResponse:
    form = ConnectorForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        connector_save(form=form, actor=request.user, ip=client_address(request) or None)
        connector = form.instance
        messages.success(request, _("The connector is added."))
        return _detail(request, connector, secret=connector.secret)
    status = 400 if form.errors else 200
    return render(
        request, "integrations/settings/connector_form.html", {"form": form}, status=status
    )


@sensitive_post_parameters(*_SECRETS)
@staff_page(may_change_connectors)
def connector_edit(request: HttpRequest, slug: str) -> HttpResponse:
    connector = get_object_or_404(Connector, slug=slug)
    form = ConnectorForm(_posted(request), instance=connector)
    if request.method == "POST" and form.is_valid():
        changed = connector_save(form=form, actor=request.user, ip=client_address(request) or None)
        messages.success(request, _("Saved.") if changed else _("Nothing changed."))
        return redirect("settings-connector", slug=form.instance.slug)
    status = 400 if form.errors else 200
    context = {"form": form, "connector": Connector.objects.get(pk=connector.pk)}
    return render(request, "integrations/settings/connector_form.html", context, status=status)


@require_POST
@staff_page(may_change_connectors)
def connector_active(request: HttpRequest, slug: str) -> HttpResponse:
    connector = get_object_or_404(Connector, slug=slug)
    active = request.POST.get("active") == "1"
    connector_set_active(
        connector=connector, active=active, actor=request.user, ip=client_address(request) or None
    )
    if active:
        messages.success(request, _("The connector is on: its tool's calls are accepted."))
    else:
        messages.success(
            request, _("The connector is off: its tool's calls are refused until it is on again.")
        )
    return redirect("settings-connector", slug=connector.slug)


@never_cache
@require_POST
@staff_page(may_change_connectors)
def connector_secret(request: HttpRequest, slug: str) -> HttpResponse:
    connector = get_object_or_404(Connector, slug=slug)
    secret = connector_new_secret(
        connector=connector, actor=request.user, ip=client_address(request) or None
    )
    messages.warning(request, _("The secret is new: the tool's calls are refused until it has it."))
    return _detail(request, connector, secret=secret)


@require_POST
@staff_page(may_manage_connectors)
def connector_test(request: HttpRequest, slug: str) -> HttpResponse:
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
    return redirect("settings-connector", slug=connector.slug)
