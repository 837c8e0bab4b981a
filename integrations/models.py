"""Connectors (one per helpdesk that feeds ITPulse), the log of what each one delivered, and the
answers each one writes back to its tool's tickets.

A connector's secret has to be kept readable: an HMAC signature can only be checked by
computing it again. It is made with `secrets` unless the tool makes its own (Zendesk does).
The write-back credentials (`api_user`, `api_token`) are kept the same way, since ITPulse must
send them; like the secret they are shown to administrators only, and never go into a URL, a
log line or a failure reason (integrations/writeback.py).
"""

import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from delivery.engine import Outgoing
from surveys.models import Response, Team, Ticket

from .presets import EVENTS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Connector(models.Model):
    class Kind(models.TextChoices):
        JIRA = "jira", "Jira Service Management"
        ZENDESK = "zendesk", "Zendesk"
        GLPI = "glpi", "GLPI"
        TOPDESK = "topdesk", "TOPdesk"
        SERVICENOW = "servicenow", "ServiceNow"
        FRESHSERVICE = "freshservice", "Freshservice"
        GENERIC = "generic", _("Other tool or script")

    class Scheme(models.TextChoices):
        BEARER = "bearer", _("Bearer token (Authorization: Bearer <secret>)")
        ZENDESK = "zendesk", _("Zendesk signature (X-Zendesk-Webhook-Signature)")
        HUB = "hub", _("Jira signature (X-Hub-Signature: sha256=…)")
        GLPI = "glpi", _("GLPI signature (X-GLPI-signature, X-GLPI-timestamp)")
        GENERIC = "generic", _("Generic signature (X-ITPulse-Signature: t=…,v1=…)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=50, unique=True, help_text=_("Part of the webhook address.")
    )
    kind = models.CharField(_("helpdesk tool"), max_length=20, choices=Kind.choices)
    source = models.CharField(
        _("source system"),
        max_length=50,
        blank=True,
        help_text=_(
            "Stored on each ticket; with the tool's ticket id it identifies the ticket. "
            "Empty: the tool's preset."
        ),
    )
    secret = models.CharField(_("secret"), max_length=200, default=new_secret)
    scheme = models.CharField(
        _("authentication"),
        max_length=10,
        choices=Scheme.choices,
        blank=True,
        help_text=_("Empty: the tool's own scheme."),
    )
    timestamp_tolerance = models.PositiveIntegerField(
        _("timestamp tolerance (seconds)"),
        default=300,
        help_text=_("Signed requests older or newer than this are refused (replays)."),
    )
    mapping = models.JSONField(
        _("field mapping"),
        default=dict,
        blank=True,
        help_text=_(
            "ITPulse field → dotted path (ticket.requester.email) or JSON pointer "
            "(/ticket/requester/email) into the tool's payload."
        ),
    )
    events = models.JSONField(
        _("event rules"),
        default=list,
        blank=True,
        help_text=_(
            'A list of {"path": …, "values": {"tool value": "closed|reopened|reassigned|'
            'merged|deleted"}}; the first rule that matches decides. No rules: every call '
            "is a closed ticket."
        ),
    )
    team_map = models.JSONField(
        _("team mapping"),
        default=dict,
        blank=True,
        help_text=_(
            'The tool\'s group or queue → ITPulse team slug, e.g. {"Service Desk": "workplace"}.'
        ),
    )
    default_team = models.ForeignKey(
        Team,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default team"),
        help_text=_("Used when the tool's group is not in the mapping."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Write-back (issue 16.5): the answer as an internal note on the tool's ticket.
    writeback = models.BooleanField(
        _("write answers back to the ticket"),
        default=False,
        help_text=_(
            "Each answer's score and comment become an internal note on the ticket in the tool "
            "(never for an anonymous team's answers)."
        ),
    )
    api_url = models.URLField(
        _("tool's address"),
        blank=True,
        help_text=_("Where the tool's REST API is, e.g. https://example.zendesk.com."),
    )
    api_user = models.CharField(
        _("API user"),
        max_length=200,
        blank=True,
        help_text=_(
            "Zendesk and Jira: the agent's e-mail address; ServiceNow and TOPdesk: the login "
            "name; GLPI: the App-Token (if the API client has one); Freshservice: empty."
        ),
    )
    api_token = models.CharField(
        _("API token"),
        max_length=500,
        blank=True,
        help_text=_(
            "Zendesk, Jira: the API token; GLPI: the user's API token; Freshservice: the API "
            "key; ServiceNow: the password; TOPdesk: the application password."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("connector")
        verbose_name_plural = _("connectors")

    def __str__(self):
        return self.name

    def clean(self):
        # A wrong shape here would make every call of this connector fail; say so in the form.
        errors: dict[str, StrOrPromise] = {}
        if not _text_dict(self.mapping):
            errors["mapping"] = _("An object of ITPulse field → path, all text.")
        if not _text_dict(self.team_map):
            errors["team_map"] = _("An object of the tool's group → team slug, all text.")
        if self.writeback:
            if self.kind == self.Kind.GENERIC:
                errors["writeback"] = _("Write-back needs one of the named tools.")
            if not self.api_url:
                errors["api_url"] = _("Write-back needs the tool's address.")
            if not self.api_token:
                errors["api_token"] = _("Write-back needs the tool's API token.")
        if not isinstance(self.events, list) or not all(
            _event_rule(rule, EVENTS) for rule in self.events
        ):
            errors["events"] = _(
                'A list of {"path": …, "values": {…}} or {"default": …}; each event one of '
                "%(events)s."
            ) % {"events": ", ".join(EVENTS)}
        if errors:
            raise ValidationError(errors)


def _text_dict(value) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _event_rule(rule, events) -> bool:
    if not isinstance(rule, dict):
        return False
    if "default" in rule:
        return rule["default"] in events
    values = rule.get("values")
    return (
        isinstance(rule.get("path"), str)
        and isinstance(values, dict)
        and all(value in events for value in values.values())
    )


class Delivery(models.Model):
    """One call of a connector's webhook and what became of it. The payload is not kept."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        DUPLICATE = "duplicate", _("duplicate")
        IGNORED = "ignored", _("ignored")
        REFUSED = "refused", _("refused")
        TEST = "test", _("test event")

    connector = models.ForeignKey(
        Connector, models.CASCADE, related_name="deliveries", verbose_name=_("connector")
    )
    delivery_id = models.CharField(_("delivery id"), max_length=100, blank=True)
    external_id = models.CharField(_("ticket id"), max_length=100, blank=True)
    event = models.CharField(_("event"), max_length=20, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    ticket = models.ForeignKey(
        Ticket, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ticket")
    )
    received_at = models.DateTimeField(_("received at"))
    # Unauthenticated refusals (401) are one row per reason, counted, with the latest time:
    # anyone can send them, so a row each would let them push the real entries out of the log.
    calls = models.PositiveIntegerField(_("calls"), default=1)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            # A tool retrying a delivery sends the same id again: only one may be acted on.
            models.UniqueConstraint(
                fields=["connector", "delivery_id"],
                condition=Q(outcome="accepted") & ~Q(delivery_id=""),
                name="delivery_unique_accepted_id",
            ),
            # One counted row per reason for calls that failed their signature (hooks.py).
            models.UniqueConstraint(
                fields=["connector", "reason"],
                condition=Q(outcome="refused", status_code=401),
                name="delivery_unauthenticated_reason",
            ),
        ]
        indexes = [
            # The connector page lists the latest deliveries of one connector.
            models.Index(fields=["connector", "-received_at"], name="delivery_latest_idx"),
            # Retries without a delivery id are recognised by the last event for a ticket.
            models.Index(fields=["connector", "external_id"], name="delivery_ticket_idx"),
            # Pruning signed refused calls (hooks.REFUSED_KEPT) finds them among accepted ones.
            models.Index(
                fields=["connector", "-id"],
                condition=Q(outcome="refused"),
                name="delivery_refused_idx",
            ),
        ]

    def __str__(self):
        return f"{self.connector} {self.outcome} {self.external_id}"


class WriteBack(Outgoing):
    """One answer written back to its ticket in the connector's tool, an outgoing message of the
    delivery engine: claimed, retried with backoff, reclaimed. The note is written when it is
    sent, from the answer as it is then (a later change of it is a row of its own)."""

    connector = models.ForeignKey(
        Connector, models.CASCADE, related_name="writebacks", verbose_name=_("connector")
    )
    response = models.ForeignKey(
        Response, models.CASCADE, related_name="+", verbose_name=_("response")
    )
    changed = models.BooleanField(_("changed answer"), default=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("write-back")
        verbose_name_plural = _("write-backs")
        indexes = [
            # The engine's claim: planned write-backs by send time.
            models.Index(
                fields=["send_after"], condition=Q(status="planned"), name="writeback_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.connector} {self.response_id} {self.status}"
