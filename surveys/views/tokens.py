"""API tokens in the settings area (/settings/tokens/): the list, making one (the token shown
once) and revoking one. The old staff addresses (/staff/api-tokens/…) redirect here.

Each action asks its own model permission (view, add, change apitoken; through the access
module, surveys/staffaccess.py), never is_staff: an administrator who may make tokens is one
the organisation chose for it. Beyond one's permission is a 404, as everywhere.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..api_tokens import MAX_DAYS, api_token_create, api_token_revoke
from ..client_address import client_address
from ..models import ApiToken
from ..staffaccess import access, staff_page


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Who uses the token, such as jira-production."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Give a token only what its tool needs."),
        error_messages={"required": gettext_lazy("Choose at least one scope.")},
    )
    expires_days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=365,
        help_text=gettext_lazy("Every token expires: 1 to 3,650 days from today."),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if ApiToken.objects.filter(name=name).exists():
            raise forms.ValidationError(_("A token with this name exists already."))
        return name


@never_cache  # the response that shows a new secret must not be kept anywhere
@staff_page(may="may_see_api_tokens")
def api_token_list(request):
    may_add = access().may_add_api_tokens(request.user)
    if request.method == "POST" and not may_add:
        raise Http404
    made = None
    form = ApiTokenForm(request.POST if request.method == "POST" else None) if may_add else None
    if form is not None and form.is_bound and form.is_valid():
        data = form.cleaned_data
        made = api_token_create(
            name=data["name"],
            scopes=data["scopes"],
            days=data["expires_days"],
            owner=request.user,
            ip=client_address(request) or None,
        )
        form = ApiTokenForm()
    context = {
        "tokens": ApiToken.objects.select_related("owner"),
        "form": form,
        "made": made,
        "now": timezone.now(),
        "may_revoke": access().may_revoke_api_tokens(request.user),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "surveys/settings/tokens.html", context, status=status)


@require_POST
@staff_page(may="may_revoke_api_tokens")
def api_token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    if api_token_revoke(api_token=token, actor=request.user, ip=client_address(request) or None):
        messages.success(request, _("Token %(name)s is revoked.") % {"name": token.name})
    else:
        messages.info(request, _("Token %(name)s was revoked already.") % {"name": token.name})
    return redirect("settings-token-list")
