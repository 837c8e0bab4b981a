"""A user's own pages: their preferences (language, time zone, digest time), the language switch."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n

from .forms import PreferenceForm
from .models import Preference


def remember_language(response: HttpResponse, language: str) -> None:
    """The switch's cookie, as Django's set_language sets it: the sign-in page after a sign-out
    stays in the language the person chose."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


# Any signed-in person, with or without a role: it holds only their own settings.
@login_required
def preferences(request):
    preference = Preference.objects.filter(user=request.user).first() or Preference(
        user=request.user, language=request.LANGUAGE_CODE, time_zone=settings.TIME_ZONE
    )
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Preferences saved."))
            response = redirect("preferences")
            remember_language(response, form.instance.language)
            return response
        return render(request, "accounts/preferences.html", {"form": form}, status=400)
    return render(request, "accounts/preferences.html", {"form": form})


def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's language switch (Django's set_language: cookie, redirect to `next`). Signed
    in, the choice is also the person's preference, so that it holds on their next device and in
    their e-mails, and the switch is never overruled by an older preference."""
    response = i18n.set_language(request)
    if request.method != "POST" or not request.user.is_authenticated:
        return response
    try:
        language = translation.get_supported_language_variant(request.POST.get("language", ""))
    except LookupError:  # not one of ours: Django's view already ignored it
        return response
    updated = Preference.objects.filter(user=request.user).update(language=language)
    if not updated:
        Preference.objects.create(
            user=request.user, language=language, time_zone=settings.TIME_ZONE
        )
    return response
