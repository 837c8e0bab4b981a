"""The periodic (relationship) survey: a campaign to a fair random sample of requesters who had
recent contact with IT and were not surveyed recently, with its own question and up to three
open questions, optionally anonymous."""

import calendar
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from delivery.engine import Outgoing
from surveys.models import Requester, _in_language, hash_token
from surveys.scales import NPS

MAX_OPEN_QUESTIONS = 3

# What the people asked were promised: whether they answer anonymously, and the question they
# answer. Once a campaign is launched these stay, or earlier answers would be shown under a
# question or a promise that was never put to those who gave them.
LOCKED_AFTER_LAUNCH = ("anonymous", "question_en", "question_nl")
LOCKED_MESSAGE = _(
    "Whether a periodic survey is anonymous, and its question, cannot change after its launch."
)


def _seed() -> int:
    return secrets.randbelow(2**31)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later, or the month's last day (31 Jan + 1 month: 28 Feb)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        RUNNING = "running", _("running")
        # Every link has expired (launched_at + link_valid_days): no more answers come in.
        FINISHED = "finished", _("finished")

    class Repeat(models.TextChoices):
        NONE = "none", _("does not repeat")
        QUARTERLY = "quarterly", _("every quarter")
        HALF_YEARLY = "half_yearly", _("every half year")
        YEARLY = "yearly", _("every year")

    REPEAT_MONTHS = {Repeat.QUARTERLY: 3, Repeat.HALF_YEARLY: 6, Repeat.YEARLY: 12}

    name = models.CharField(_("name"), max_length=150)
    question_en = models.CharField(
        _("question (English)"),
        max_length=255,
        default="How likely are you to recommend the IT department to a colleague?",
    )
    question_nl = models.CharField(
        _("question (Dutch)"),
        max_length=255,
        blank=True,
        default="Hoe waarschijnlijk is het dat u de IT-afdeling aanbeveelt bij een collega?",
    )
    open_questions_en = models.TextField(
        _("open questions (English)"),
        blank=True,
        help_text=_("Up to three, one per line. Answers are optional for the requester."),
    )
    open_questions_nl = models.TextField(
        _("open questions (Dutch)"),
        blank=True,
        help_text=_("The same questions in Dutch, in the same order; empty: the English ones."),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Answers are stored without any link to the requester and only by date."),
    )
    sample_size = models.PositiveIntegerField(_("sample size"), default=200)
    lookback_days = models.PositiveSmallIntegerField(
        _("had a ticket in the last (days)"), default=90
    )
    not_surveyed_days = models.PositiveSmallIntegerField(
        _("not surveyed in the last (days)"), default=30
    )
    link_valid_days = models.PositiveSmallIntegerField(_("link valid (days)"), default=21)
    # The sample is random.Random(seed).sample of the eligible ids in id order: reproducible.
    seed = models.PositiveIntegerField(_("random seed"), default=_seed)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    # A draft with a launch date is scheduled: the beat launches it once that moment has come
    # (campaigns/tasks.py); without one it waits for a launch by hand.
    launch_at = models.DateTimeField(
        _("launch on"),
        null=True,
        blank=True,
        help_text=_("Empty: the survey waits until someone launches it."),
    )
    repeat = models.CharField(
        _("repeat"),
        max_length=12,
        choices=Repeat.choices,
        default=Repeat.NONE,
        help_text=_("At launch, the next round is scheduled as a draft with the same settings."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"),
        null=True,
        blank=True,
        help_text=_("One reminder, only to those who have not answered. Empty: no reminder."),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "followups_campaign"
        ordering = ["-created_at"]
        verbose_name = _("periodic survey")
        verbose_name_plural = _("periodic surveys")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for field in ("open_questions_en", "open_questions_nl"):
            if len(_lines(getattr(self, field))) > MAX_OPEN_QUESTIONS:
                raise ValidationError({field: _("At most three open questions.")})
        if self.sample_size < 1:
            raise ValidationError({"sample_size": _("Ask at least one person.")})
        if self.link_valid_days < 1:
            raise ValidationError({"link_valid_days": _("A link must work for at least a day.")})
        if self.reminder_after_days is not None and not (
            1 <= self.reminder_after_days < self.link_valid_days
        ):
            raise ValidationError(
                {
                    "reminder_after_days": _(
                        "The reminder must go at least a day after the survey and before its "
                        "link stops working (%(days)s days)."
                    )
                    % {"days": self.link_valid_days}
                }
            )
        if self.repeat != self.Repeat.NONE and self.launch_at is None:
            raise ValidationError({"launch_at": _("A survey that repeats needs a launch date.")})
        changed = self.locked_changes()
        if changed:
            raise ValidationError(dict.fromkeys(changed, LOCKED_MESSAGE))

    def locked_changes(self) -> list[str]:
        """The locked fields this instance would change, judged against the stored row (not this
        instance's own status, which a caller may have loaded before the launch)."""
        if self.pk is None:
            return []
        stored = (
            Campaign.objects.filter(pk=self.pk)
            .exclude(status=self.Status.DRAFT)
            .values(*LOCKED_AFTER_LAUNCH)
            .first()
        )
        if stored is None:
            return []
        return [name for name in LOCKED_AFTER_LAUNCH if stored[name] != getattr(self, name)]

    @property
    def is_launched(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.DRAFT and self.launch_at is not None

    @property
    def closes_at(self) -> datetime | None:
        """When the links of its launch have expired: the end of its period."""
        if self.launched_at is None:
            return None
        return self.launched_at + timedelta(days=self.link_valid_days)

    def next_launch_at(self, now: datetime) -> datetime | None:
        """When the next round of a repeating survey launches: counted from this round's
        scheduled date (or its launch), so that a late beat does not shift the series, and
        after `now`, so that a round launched late never schedules one already due."""
        months = self.REPEAT_MONTHS.get(self.Repeat(self.repeat))
        start = self.launch_at or self.launched_at
        if months is None or start is None:
            return None
        step = 1
        while add_months(start, months * step) <= now:
            step += 1
        return add_months(start, months * step)

    @property
    def question(self) -> str:
        return _in_language(self.question_en, self.question_nl)

    @property
    def open_questions(self) -> list[str]:
        english = _lines(self.open_questions_en)
        dutch = _lines(self.open_questions_nl)
        if len(dutch) != len(english):
            dutch = []
        return [_in_language(en, nl) for en, nl in zip(english, dutch or english, strict=True)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CampaignInvitation(Outgoing):
    """One person asked by one campaign: a row of the delivery engine's outbox (its status,
    claim, attempts and reason come from delivery.engine.Outgoing; campaigns/delivery.py is its
    kind)."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="invitations", verbose_name=_("periodic survey")
    )
    # Empty once retention or an erasure request removed who was asked: the invitation then only
    # counts (sent, answered) so that the survey's response rate stays true.
    requester = models.ForeignKey(
        Requester,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="campaign_invitations",
        verbose_name=_("requester"),
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # The reminder carries a link of its own (only hashes are stored), so the first e-mail's
    # link keeps working; both end at expires_at.
    reminder_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # Whether, never when, for an anonymous campaign: its answer keeps its day, and a day here
    # too would pair the two up again. Named campaigns also keep the day in answered_on.
    answered = models.BooleanField(_("answered"), default=False)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        db_table = "followups_campaigninvitation"
        ordering = ["id"]
        verbose_name = _("periodic survey invitation")
        verbose_name_plural = _("periodic survey invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "requester"], name="campaign_invitation_once"
            )
        ]
        indexes = [
            # The delivery engine's "what is due?" and its reclaim of dead workers' rows.
            models.Index(
                fields=["send_after"], condition=Q(status="planned"), name="campaign_inv_due_idx"
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="campaign_inv_sending_idx",
            ),
            # "Not surveyed recently" looks up a requester's recent campaign invitations.
            models.Index(
                fields=["requester", "sent_at"],
                condition=Q(sent_at__isnull=False),
                name="campaign_inv_recent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.requester}"

    def new_token(self, now: datetime) -> str:
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.expires_at = now + timedelta(days=self.campaign.link_valid_days)
        return token

    def new_reminder_token(self) -> str:
        token = secrets.token_urlsafe(32)
        self.reminder_token_hash = hash_token(token)
        return token

    def is_answerable(self, now: datetime) -> bool:
        return (
            # "sending" too: the person may click before the engine's "sent" is committed.
            self.status in (self.Status.SENT, self.Status.SENDING)
            and not self.answered
            and self.expires_at is not None
            and now < self.expires_at
        )


class CampaignReminder(Outgoing):
    """The one reminder of one invitation: planned at the launch for launch + reminder_after_days,
    a row of the delivery engine's outbox (campaigns/reminding.py is its kind). Whether it still
    goes (not answered, link still valid, not opted out) is decided when it is claimed, so an
    answer given the day before stops it; one row per invitation is what makes it one."""

    invitation = models.OneToOneField(
        CampaignInvitation,
        models.CASCADE,
        related_name="reminder",
        verbose_name=_("periodic survey invitation"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("periodic survey reminder")
        verbose_name_plural = _("periodic survey reminders")
        indexes = [
            # The delivery engine's "what is due?" and its reclaim of dead workers' rows.
            models.Index(
                fields=["send_after"],
                condition=Q(status="planned"),
                name="campaign_rem_due_idx",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="campaign_rem_sending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation} (reminder)"


class CampaignAnswer(models.Model):
    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="answers", verbose_name=_("periodic survey")
    )
    # Empty for an anonymous campaign: nothing ties the answer to a person.
    invitation = models.OneToOneField(
        CampaignInvitation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="answer",
        verbose_name=_("invitation"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    answer_1 = models.TextField(_("answer 1"), blank=True, max_length=5000)
    answer_2 = models.TextField(_("answer 2"), blank=True, max_length=5000)
    answer_3 = models.TextField(_("answer 3"), blank=True, max_length=5000)
    answered_on = models.DateField(_("answered on"))

    class Meta:
        db_table = "followups_campaignanswer"
        ordering = ["answered_on", "id"]
        verbose_name = _("periodic survey answer")
        verbose_name_plural = _("periodic survey answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=NPS.low, score__lte=NPS.high), name="campaign_answer_0_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.score}"

    @property
    def open_answers(self) -> list[str]:
        return [self.answer_1, self.answer_2, self.answer_3]
