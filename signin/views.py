from allauth.account.views import LoginView as AllauthLoginView
from allauth.account.views import logout
from django.conf import settings
from django.http import Http404, HttpRequest

from .adapters import LOCKED_OUT


class LoginView(AllauthLoginView):
    """allauth's sign-in, answering a locked-out username with 429, and showing the password form
    only where password sign-in is on (or asked for with ?local=1, which only superusers can
    complete: the adapter refuses everyone else's password)."""

    template_name = "account/login.html"

    def form_invalid(self, form):
        response = super().form_invalid(form)
        locked = [e for e in form.non_field_errors().as_data() if e.code == LOCKED_OUT]
        if locked:
            response.status_code = 429
            response["Retry-After"] = str(locked[0].params["seconds"])
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        asked = self.request.GET.get("local") == "1" or self.request.method == "POST"
        context["local_login"] = settings.ITPULSE_LOCAL_LOGIN
        context["password_form_shown"] = settings.ITPULSE_LOCAL_LOGIN or asked
        context["sso_enabled"] = settings.SSO_ENABLED
        context["sso_provider_id"] = settings.OIDC_PROVIDER_ID
        return context


def email_management(request: HttpRequest, *args, **kwargs):
    """allauth lets people change their own e-mail address; here an administrator (or the
    identity provider) keeps it, as agents and password resets depend on it."""
    raise Http404


login = LoginView.as_view()
__all__ = ["email_management", "login", "logout"]
