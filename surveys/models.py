"""Tickets, the people around them, and the survey sent for each one.

A Ticket is a closed service interaction from a helpdesk tool. Closing it creates exactly one
Invitation, which snapshots the team and agent so that a later reassignment never moves a score,
and which carries the delivery life cycle. A Response is the answer given through one invitation.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import scales, slices
from .questions import QuestionType, default_follow_up, default_question


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    DUTCH = "nl", _("Dutch")


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _in_language(english: str, dutch: str) -> str:
    """Pick the Dutch or English wording for the active language; English when Dutch is empty."""
    return dutch if _language() == "nl" and dutch else english


class Reason(models.Model):
    """A reason behind a score, offered as a quick pick on the survey page (speed, attitude…).

    Issue 7's root-cause tagging reuses this set: a requester's quick picks count as tags.
    """

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("reason")
        verbose_name_plural = _("reasons")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_nl)


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_teams", verbose_name=_("team leads")
    )
    # The question asked after this team's tickets; an empty wording means the built-in text.
    question_type = models.CharField(
        _("question type"),
        max_length=10,
        choices=QuestionType.choices,
        # Recommendation (0–10), the product's first question; a type change starts a new
        # series (surveys/scales.py), so the default matters only for new teams.
        default=QuestionType.NPS,
    )
    question_en = models.CharField(
        _("question (English)"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty for the standard wording of the question type."),
    )
    question_nl = models.CharField(
        _("question (Dutch)"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty for the standard wording of the question type."),
    )
    follow_up_en = models.CharField(
        _("follow-up question (English)"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty for “What could we do better?”."),
    )
    follow_up_nl = models.CharField(
        _("follow-up question (Dutch)"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty for “What could we do better?”."),
    )
    quick_pick_reasons = models.ManyToManyField(
        Reason,
        blank=True,
        related_name="teams",
        verbose_name=_("quick-pick reasons"),
        help_text=_("Reasons offered on the survey page; none means no quick picks."),
    )
    show_agent = models.BooleanField(
        _("name the agent"),
        default=True,
        help_text=_("Name the agent who helped in the e-mail and on the survey page."),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_(
            "Answers given while this is on are stored with no link to the person, the ticket "
            "or the survey e-mail, and keep only their day. Turning it off affects only answers "
            "given afterwards: earlier answers stay anonymous for good."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        permissions = [("view_all_teams", _("Can see the dashboard of every team (IT manager)"))]

    def __str__(self):
        return self.name

    def question(self) -> str:
        """The question in the active language (call inside translation.override)."""
        # A wording written for one language only must not reach requesters of the other.
        own = self.question_nl if _language() == "nl" else self.question_en
        return own or default_question(self.question_type, self.name)

    def follow_up(self) -> str:
        own = self.follow_up_nl if _language() == "nl" else self.follow_up_en
        return own or default_follow_up()

    def active_reasons(self):
        return self.quick_pick_reasons.filter(active=True)


class Agent(models.Model):
    team = models.ForeignKey(Team, models.PROTECT, related_name="agents", verbose_name=_("team"))
    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="agent",
        verbose_name=_("user account"),
    )
    # An agent who left the team is switched off rather than deleted: their tickets and
    # scores stay theirs (Ticket.agent is PROTECT), their user account is unlinked.
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self):
        return self.name or self.email


class Requester(models.Model):
    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    # Set when the person picked a language on the survey page: from then on their choice, not
    # the helpdesk's field, decides the language of their e-mails.
    language_chosen_at = models.DateTimeField(_("language chosen at"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    # IANA name; empty means the organisation's zone. Office hours are the requester's hours.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # Only ever shown aggregated (IT's ratings of its customers, issue 7), never per person.
    department = models.CharField(_("department"), max_length=100, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("requester")
        verbose_name_plural = _("requesters")

    def __str__(self):
        return self.email

    @property
    def is_opted_out(self) -> bool:
        return self.opted_out_at is not None


class Ticket(models.Model):
    source = models.CharField(_("source system"), max_length=50)
    external_id = models.CharField(_("external id"), max_length=100)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    team = models.ForeignKey(Team, models.PROTECT, related_name="tickets", verbose_name=_("team"))
    agent = models.ForeignKey(
        Agent,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("agent"),
    )
    # Empty once retention or an erasure request removed who asked (surveys/privacy.py).
    requester = models.ForeignKey(
        Requester,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("requester"),
    )
    closed_at = models.DateTimeField(_("closed at"))
    # What the helpdesk says of the ticket, for the dashboard's slices (surveys/slices.py);
    # empty: it said nothing (unknown).
    # The database default too: rows written by code older than these columns (a rolling
    # upgrade, or the migration tests' old models) must not fail on NOT NULL.
    category = models.CharField(
        _("category"), max_length=slices.CATEGORY_LENGTH, blank=True, default="", db_default=""
    )
    priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=slices.Priority.choices,
        blank=True,
        default="",
        db_default="",
    )
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=slices.Channel.choices,
        blank=True,
        default="",
        db_default="",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["-closed_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            # The helpdesk's identity of a ticket: a retried webhook must not make a second one.
            models.UniqueConstraint(
                fields=["source", "external_id"], name="ticket_unique_source_id"
            )
        ]

    def __str__(self):
        return f"{self.source}:{self.external_id}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        ANSWERED = "answered", _("answered")
        EXPIRED = "expired", _("expired")
        FAILED = "failed", _("failed")
        SUPPRESSED = "suppressed", _("suppressed")
        # Closed longer ago than ITPULSE_MAX_TICKET_AGE_DAYS when it reached ITPulse: registered
        # and counted, never surveyed (issue 16).
        TOO_OLD = "too_old", _("too old")

    # Both empty once retention or an erasure request unlinked the invitation: it then only
    # counts (team, day sent, answered or not) so that past response rates stay true.
    ticket = models.OneToOneField(
        Ticket,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("ticket"),
    )
    requester = models.ForeignKey(
        Requester,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("requester"),
    )
    # Snapshots taken when the ticket closed: the score belongs to whoever gave that service.
    team = models.ForeignKey(
        Team, models.PROTECT, related_name="invitations", verbose_name=_("team")
    )
    agent = models.ForeignKey(
        Agent,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("agent"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    reason = models.CharField(
        _("reason"), max_length=255, blank=True, help_text=_("Why it failed or was suppressed.")
    )
    send_after = models.DateTimeField(_("send after"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Which dispatcher run holds the row while it is "sending" (its conditional UPDATE's mark).
    claimed_by = models.CharField(max_length=32, blank=True, editable=False)
    # Set when the links were opened in a burst, as mail scanners do; a later form POST by a
    # person still counts, so this only feeds the staff page's scanner figures.
    scanned_at = models.DateTimeField(_("opened by a scanner at"), null=True, blank=True)
    # sha256 of the link token; the token itself exists only in the e-mail.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # Snapshots of the delivery rule when the ticket closed (see delivery).
    link_valid_days = models.PositiveSmallIntegerField(
        _("link valid (days)"), null=True, blank=True
    )
    remind_after_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"), null=True, blank=True
    )
    remind_at = models.DateTimeField(_("reminder due at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    # The reminder carries a link of its own, so the first e-mail's link keeps working.
    reminder_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # Set when retention or an erasure request unlinks the invitation from its requester: a
    # random mark shared by that person's invitations unlinked together, so that a minimum
    # group (scoring/people.py) still counts them as one person. Random, so it leads to no one.
    person_tag = models.CharField(max_length=16, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            # The dispatcher's "what is due?" query only ever looks at planned rows.
            models.Index(
                fields=["send_after"], condition=Q(status="planned"), name="invitation_due_idx"
            ),
            # Response rate per team and period counts sent invitations by team and sent_at.
            models.Index(fields=["team", "sent_at"], name="invitation_team_sent_idx"),
            # An agent's response rate (feedback pages, personal digest) counts theirs.
            models.Index(fields=["agent", "sent_at"], name="invitation_agent_sent_idx"),
            # The dispatcher's reclaim of rows whose worker died looks only at "sending" rows.
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="invitation_sending_idx"
            ),
            # Reminders due: sent, unanswered and not yet reminded.
            models.Index(
                fields=["remind_at"],
                condition=Q(status="sent", reminded_at__isnull=True),
                name="invitation_remind_idx",
            ),
            # Throttling asks "was this requester surveyed lately?".
            models.Index(fields=["requester", "sent_at"], name="invitation_requester_sent_idx"),
            # The reseal (privacy/resealing.py) every few minutes: answered anonymously, link
            # still valid. Few rows; without it, a scan of every invitation ever sent.
            models.Index(
                fields=["expires_at"],
                condition=Q(status="answered", answered_at__isnull=True),
                name="invitation_reseal_idx",
            ),
        ]

    def __str__(self):
        return f"{self.ticket} → {self.requester}"

    RESENDABLE = (Status.FAILED, Status.PLANNED)
    # "sending" too: the requester can click the link before the worker's "sent" is committed.
    ANSWERABLE = (Status.SENDING, Status.SENT, Status.ANSWERED)

    @property
    def can_resend(self) -> bool:
        return self.status in self.RESENDABLE

    def is_expired(self, now) -> bool:
        return self.status == self.Status.EXPIRED or (
            self.expires_at is not None and now >= self.expires_at
        )

    def is_answerable(self, now) -> bool:
        return self.status in self.ANSWERABLE and not self.is_expired(now)

    def new_token(self, now) -> str:
        """Give the invitation a fresh link token; return it (only its hash is kept)."""
        token = secrets.token_urlsafe(32)  # 256 bits
        self.token_hash = hash_token(token)
        days = self.link_valid_days or settings.ITPULSE_LINK_VALID_DAYS
        self.expires_at = now + timedelta(days=days)
        return token


def scales_in_range() -> Q:
    """A score within the range of the scale its question type asks."""
    condition = Q()
    for scale in scales.SCALES.values():
        condition |= Q(question_type=scale.key, score__gte=scale.low, score__lte=scale.high)
    return condition


class Response(models.Model):
    class Category(models.TextChoices):
        """The scales' categories (surveys/scales.py) with their labels."""

        PROMOTER = scales.PROMOTER.name, _("promoter")
        PASSIVE = scales.PASSIVE.name, _("passive")
        DETRACTOR = scales.DETRACTOR.name, _("detractor")
        SATISFIED = scales.SATISFIED.name, _("satisfied")
        NEUTRAL = scales.NEUTRAL.name, _("neutral")
        DISSATISFIED = scales.DISSATISFIED.name, _("dissatisfied")
        EASY = scales.EASY.name, _("easy")
        DIFFICULT = scales.DIFFICULT.name, _("difficult")

    # Empty for an unlinked answer: given while its team was anonymous, or unlinked later by
    # retention or an erasure request. Such an answer points to no invitation, ticket or person
    # and keeps its day only (created_at and updated_at at the organisation's midnight).
    invitation = models.OneToOneField(
        Invitation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("invitation"),
    )
    # An anonymous answer's way back for the link that gave it, so that its holder can change
    # it: a keyed hash of the link token, derived apart from the invitation's sha256 token hash
    # so that neither can be computed from the other (see surveys/unlinked.py).
    link_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # Copied from the invitation so that every dashboard read is one table, one index.
    team = models.ForeignKey(Team, models.PROTECT, related_name="responses", verbose_name=_("team"))
    agent = models.ForeignKey(
        Agent,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("agent"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    # The question type, and so the scale, the score was given on: the team's type when the
    # answer was first given, kept when the team changes type (its next answers start a new
    # series). Every answer from before ITPulse knew other scales is "nps" (0–10).
    question_type = models.CharField(
        _("question type"), max_length=10, choices=QuestionType.choices, default=QuestionType.NPS
    )
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    # The slice (surveys/slices.py), copied from the ticket and its requester when the answer
    # is given, as team and agent are: an anonymous answer keeps it without a way back to the
    # ticket, and the dashboard's slice filters read one table. Shown only for groups of
    # enough people (scoring/slices.py). Empty: unknown.
    slice_category = models.CharField(
        _("category"),
        max_length=slices.CATEGORY_LENGTH,
        blank=True,
        editable=False,
        default="",
        db_default="",
    )
    slice_priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=slices.Priority.choices,
        blank=True,
        editable=False,
        default="",
        db_default="",
    )
    slice_channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=slices.Channel.choices,
        blank=True,
        editable=False,
        default="",
        db_default="",
    )
    slice_department = models.CharField(
        _("department"), max_length=100, blank=True, editable=False, default="", db_default=""
    )
    reasons = models.ManyToManyField(
        Reason, blank=True, related_name="responses", verbose_name=_("reasons")
    )
    created_at = models.DateTimeField(_("answered at"))
    updated_at = models.DateTimeField(_("changed at"))

    # Not columns: what a page may show of this answer, set on the rows it lists
    # (scoring.responses.comment_page, from surveys.anonymity).
    requester_shown: "Requester | None"
    ticket_shown: str
    agent_shown: "Agent | None"
    category_label: str

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.CheckConstraint(
                condition=scales_in_range(),
                name="response_score_in_scale",
            )
        ]
        indexes = [
            # Every team view reads one team's responses in a period.
            models.Index(fields=["team", "created_at"], name="response_team_created_idx"),
            # The team page's comment list, newest first: without it a period with few
            # comments is read row by row to find them.
            models.Index(
                fields=["team", "created_at"],
                condition=~Q(comment=""),
                name="response_team_comment_idx",
            ),
            # The reseal's "unlinked answers given or changed since yesterday".
            models.Index(
                fields=["updated_at"],
                condition=Q(invitation__isnull=True),
                name="response_unlinked_idx",
            ),
        ]

    def __str__(self):
        return f"{self.score} ({self.invitation or self.created_at.date()})"

    @property
    def is_unlinked(self) -> bool:
        return self.invitation_id is None

    @property
    def scale(self) -> scales.Scale:
        return scales.scale_for(self.question_type)

    @property
    def category(self) -> str:
        return self.scale.category(self.score).name


class LinkClick(models.Model):
    """One opening of a survey link: when, relative to sending, and by what kind of client.

    Deliberately nothing personal (no IP address, no full user agent): it only has to show
    whether a machine opened the links before a person did.
    """

    class Client(models.TextChoices):
        BROWSER = "browser", _("desktop browser")
        MOBILE = "mobile", _("mobile browser")
        BOT = "bot", _("scanner or bot")
        OTHER = "other", _("other or unknown")

    invitation = models.ForeignKey(
        Invitation, models.CASCADE, related_name="clicks", verbose_name=_("invitation")
    )
    clicked_at = models.DateTimeField(_("opened at"))
    seconds_since_sent = models.PositiveIntegerField(_("seconds since sent"), null=True)
    score = models.PositiveSmallIntegerField(_("score in the link"), null=True)
    client = models.CharField(_("client"), max_length=10, choices=Client.choices)

    class Meta:
        ordering = ["clicked_at"]
        verbose_name = _("link click")
        verbose_name_plural = _("link clicks")

    def __str__(self):
        return f"{self.invitation_id} @ {self.clicked_at:%Y-%m-%d %H:%M:%S}"


class ApiToken(models.Model):
    """A bearer token for a helpdesk tool. Shown once when made; only its hash is stored.

    Least privilege: a token may do only what its scopes name, until it expires or is revoked.
    """

    class Scope(models.TextChoices):
        TICKETS_WRITE = "tickets:write", _("tickets:write — send closed tickets and batches")
        RESULTS_READ = "results:read", _("results:read — read scores, trends and answers")

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("Who made it in the app; empty for tokens made with manage.py."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class CapturedEmail(models.Model):
    """An e-mail kept instead of sent, while no SMTP server is configured (embedded default)."""

    to = models.CharField(_("to"), max_length=500)
    subject = models.CharField(_("subject"), max_length=500)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return self.subject
