"""User accounts in the settings area (/settings/accounts/): the list, inviting a person (the
account with its roles, and a one-time link to set a password), changing one's details and
roles, deactivating and reactivating (never deleting), a new set-password link.

Administrators only (accounts.access.may_manage_accounts); a superuser's account only for a
superuser (get_account_to_configure: a 404 otherwise). Nobody changes their own roles or
deactivates themselves, and nobody removes the last administrator (setup/accounts.py)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import (
    accounts_manageable_by,
    get_account_to_configure,
    may_manage_accounts,
    staff_page,
)
from accounts.services import roles_of
from surveys.client_address import client_address

from ..account_forms import AccountForm, ActiveForm
from ..accounts import (
    LastAdministrator,
    account_create,
    account_set_active,
    account_update,
    set_password_link,
)
from .posted import posted

_LAST = gettext_noop(
    "Nobody may remove the last administrator: make another account an administrator first."
)


def _ip(request: HttpRequest) -> str | None:
    return client_address(request) or None


@staff_page(may_manage_accounts)
def account_list(request: HttpRequest) -> HttpResponse:
    accounts = accounts_manageable_by(request.user).order_by(
        "-is_active", "last_name", "first_name", "username"
    )
    rows = [(account, sorted(roles_of(account), key=str)) for account in accounts]
    context = {"rows": rows, "local_login": settings.ITPULSE_LOCAL_LOGIN}
    return render(request, "setup/account_list.html", context)


def _account_page(request, account, form, *, status: int = 200, link: str = "") -> HttpResponse:
    context = {
        "account": account,
        "form": form,
        "link": link,
        "own": account.pk == request.user.pk,
        "local_login": settings.ITPULSE_LOCAL_LOGIN,
        "link_expires": timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    }
    return render(request, "setup/account_detail.html", context, status=status)


@never_cache  # the answer to a valid POST holds the set-password link
@staff_page(may_manage_accounts)
def account_create_view(request: HttpRequest) -> HttpResponse:
    if not settings.ITPULSE_LOCAL_LOGIN:
        # With single sign-on only, the identity provider makes accounts at the first sign-in;
        # a local account with the same address would keep that person out (docs/security.md).
        raise Http404
    form = AccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            account = account_create(form=form, actor=request.user, ip=_ip(request))
        except ValueError as error:  # the agent link (accounts.services), checked in the form
            form.add_error("agent_team", str(error))
        else:
            link = set_password_link(user=account, actor=request.user, ip=_ip(request))
            messages.success(request, _("The account is made."))
            return _account_page(request, account, AccountForm(instance=account), link=link)
    status = 400 if form.errors else 200
    return render(request, "setup/account_create.html", {"form": form}, status=status)


@staff_page(may_manage_accounts)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_to_configure(request.user, pk)
    own = account.pk == request.user.pk
    form = AccountForm(posted(request), instance=account, own=own)
    if request.method == "POST" and form.is_valid():
        try:
            changed = account_update(form=form, actor=request.user, ip=_ip(request))
        except LastAdministrator:
            form.add_error("roles", _(_LAST))
        except ValueError as error:
            form.add_error("agent_team", str(error))
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect("settings-account", pk=account.pk)
    if form.errors:
        account.refresh_from_db()
    return _account_page(request, account, form, status=400 if form.errors else 200)


@require_POST
@staff_page(may_manage_accounts)
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_to_configure(request.user, pk)
    form = ActiveForm(request.POST)
    if not form.is_valid() or account.pk == request.user.pk:
        # Deactivating oneself would lock the last door from the inside: another does it.
        messages.error(request, _("Your own account is deactivated by another administrator."))
        return _account_page(request, account, AccountForm(instance=account, own=True), status=400)
    active = form.cleaned_data["active"]
    try:
        account_set_active(user=account, active=active, actor=request.user, ip=_ip(request))
    except LastAdministrator:
        messages.error(request, _(_LAST))
        return _account_page(request, account, AccountForm(instance=account), status=400)
    if active:
        messages.success(request, _("The account is active again."))
    else:
        messages.success(request, _("The account is deactivated: it can no longer sign in."))
    return redirect("settings-account", pk=account.pk)


@never_cache
@require_POST
@staff_page(may_manage_accounts)
def account_link(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_to_configure(request.user, pk)
    if not settings.ITPULSE_LOCAL_LOGIN or not account.is_active or account.pk == request.user.pk:
        raise Http404
    link = set_password_link(user=account, actor=request.user, ip=_ip(request))
    return _account_page(request, account, AccountForm(instance=account), link=link)
