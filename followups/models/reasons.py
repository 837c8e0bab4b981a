"""Root causes. The set of reasons is surveys.Reason (shared with the requesters' quick picks);
this module adds who tagged a response with which reason, and the keyword rules that suggest it.
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models import Language, Reason, Response


class KeywordRule(models.Model):
    """Words in a comment that suggest a reason, e.g. "slow", "traag" → speed."""

    reason = models.ForeignKey(
        Reason, models.CASCADE, related_name="keyword_rules", verbose_name=_("reason")
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=Language.choices,
        blank=True,
        help_text=_("Only for comments in this language; empty: any language."),
    )
    keywords = models.TextField(
        _("keywords"),
        help_text=_(
            "One word or phrase per line. A word also matches longer words that start with it "
            "(wacht → wachten)."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["reason", "language"]
        verbose_name = _("keyword rule")
        verbose_name_plural = _("keyword rules")

    def __str__(self):
        return f"{self.reason} ({self.language or '*'})"

    @property
    def words(self) -> list[str]:
        return [line.strip().lower() for line in self.keywords.splitlines() if line.strip()]

    def matches(self, text: str) -> bool:
        text = text.lower()
        # (?<!\w): the keyword starts at a word boundary, so "late" does not match "translate".
        return any(re.search(r"(?<!\w)" + re.escape(word), text) for word in self.words)


class ResponseTag(models.Model):
    """A reason attached to a response by staff or suggested by a keyword rule.

    The requester's own quick picks stay in Response.reasons and are counted alongside these.
    """

    class Source(models.TextChoices):
        STAFF = "staff", _("staff")
        KEYWORD = "keyword", _("keyword rule")

    response = models.ForeignKey(
        Response, models.CASCADE, related_name="tags", verbose_name=_("response")
    )
    reason = models.ForeignKey(
        Reason, models.CASCADE, related_name="tags", verbose_name=_("reason")
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tagged by"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["reason__position", "reason__slug"]
        verbose_name = _("response tag")
        verbose_name_plural = _("response tags")
        constraints = [
            models.UniqueConstraint(fields=["response", "reason"], name="response_tag_unique")
        ]

    def __str__(self):
        return f"{self.reason} ({self.get_source_display()})"
