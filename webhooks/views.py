"""Staff pages for outgoing webhooks: the list with its form to subscribe a URL, and one
webhook's page (its secret, its recent deliveries with their status, enable again, delete).
Only administrators (accounts.access.may_manage_webhooks); anyone else gets a 404."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import may_manage_webhooks, staff_page
from surveys.client_address import client_address

from .forms import WebhookForm
from .models import Webhook
from .services import WebhookRefused, webhook_create, webhook_delete, webhook_enable

RECENT = 50


@staff_page(may_manage_webhooks)
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hook = webhook_create(
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                by=request.user,  # type: ignore[arg-type]
                ip=client_address(request) or None,
            )
        except WebhookRefused as refused:
            form.add_error("url", str(refused))
        else:
            messages.success(request, _("The webhook is subscribed; its signing secret is below."))
            return redirect("webhook-detail", pk=hook.pk)
    context = {"webhooks": Webhook.objects.all(), "form": form}
    return render(request, "webhooks/webhook_list.html", context)


@never_cache  # it shows the signing secret
@staff_page(may_manage_webhooks)
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk)
    deliveries = hook.deliveries.order_by("-id")[:RECENT]
    return render(
        request, "webhooks/webhook_detail.html", {"webhook": hook, "deliveries": deliveries}
    )


@require_POST
@staff_page(may_manage_webhooks)
def webhook_enable_view(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk)
    if webhook_enable(webhook=hook):
        messages.success(request, _("The webhook is enabled again."))
    return redirect("webhook-detail", pk=hook.pk)


@require_POST
@staff_page(may_manage_webhooks)
def webhook_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk)
    webhook_delete(webhook=hook, by=request.user, ip=client_address(request) or None)  # type: ignore[arg-type]
    messages.success(request, _("The webhook is deleted."))
    return redirect("webhook-list")
