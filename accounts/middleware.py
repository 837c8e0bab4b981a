"""A signed-in user's preferences on every request: their language and their time zone.

The database keeps UTC; times are shown in the user's zone. The language they chose in
Preferences (or with the language switch while signed in) beats the switch's cookie, the
organisation's LANGUAGE_CODE and the browser (itpulse/language.py decided those before the user
was known)."""

import zoneinfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from .models import Preference


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language, zone = self._preferences(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            # Worker threads are reused: never let one user's zone leak into the next request.
            # (The language needs no such care: the locale middleware sets it on every request.)
            timezone.deactivate()

    @staticmethod
    def _preferences(request: HttpRequest) -> tuple[str, zoneinfo.ZoneInfo | None]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return "", None
        row = Preference.objects.filter(user=user).values_list("language", "time_zone").first()
        if row is None:
            return "", None
        language, name = row
        try:
            return language, zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return language, None
