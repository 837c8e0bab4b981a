"""Show times in the signed-in user's own time zone (their preference); the database keeps UTC."""

import zoneinfo

from django.utils import timezone

from .models import Preference


class UserTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = self._zone(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            # Worker threads are reused: never let one user's zone leak into the next request.
            timezone.deactivate()

    @staticmethod
    def _zone(request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        name = Preference.objects.filter(user=user).values_list("time_zone", flat=True).first()
        try:
            return zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
