"""A person's preferences, and the permissions that belong to no table."""

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from surveys.models import Language

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Preference(models.Model):
    """One user's language, time zone and digest time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="preference", verbose_name=_("user")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Amsterdam")
    digest_enabled = models.BooleanField(_("weekly digest"), default=True)
    digest_weekday = models.PositiveSmallIntegerField(_("digest day"), choices=WEEKDAYS, default=0)
    digest_hour = models.PositiveSmallIntegerField(
        _("digest hour"), default=8, help_text=_("0–23, in your time zone.")
    )

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        constraints = [
            models.CheckConstraint(condition=Q(digest_hour__lte=23), name="preference_hour_0_23"),
            models.CheckConstraint(
                condition=Q(digest_weekday__lte=6), name="preference_weekday_0_6"
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Capability(models.Model):
    """Never a row: a home for permissions about pages rather than rows (a permission needs a
    model to belong to). Given to roles by their groups, asked by accounts/access.py. Its table
    exists, empty, so that code going over every model finds one."""

    class Meta:
        default_permissions = ()
        permissions = [
            ("view_delivery", _("Sent mail, scanner report and delivery page")),
            ("import_tickets", _("Import tickets from a CSV file")),
        ]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")

    def __str__(self):
        return str(self._meta.verbose_name)
