"""IT rates its customers (opt-in per team, TeamRules.rate_customers): how the collaboration on a
ticket went, 0–10. Shown only aggregated per requester department, never per person."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from surveys.models import Agent, Team, Ticket


class CustomerRating(models.Model):
    ticket = models.OneToOneField(
        Ticket, models.CASCADE, related_name="customer_rating", verbose_name=_("ticket")
    )
    team = models.ForeignKey(Team, models.PROTECT, related_name="+", verbose_name=_("team"))
    agent = models.ForeignKey(
        Agent, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("agent")
    )
    score = models.PositiveSmallIntegerField(
        _("collaboration"),
        help_text=_("Was the request clear, was the requester reachable? 0–10."),
    )
    # Snapshot: moving to another department later does not move an old rating.
    department = models.CharField(_("department"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("rated at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("customer rating")
        verbose_name_plural = _("customer ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=10), name="customer_rating_0_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket}: {self.score}"
