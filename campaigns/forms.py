"""The periodic survey's set-up form (the settings area). The model's own checks (reminder before
the link expires, a repeat needs a launch date, at most three open questions) run in the form
too; here are the ones only a person filling it in can get wrong: a launch date in the past, an
audience of nobody."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Campaign

# The browser's own date-and-time picker; the value is in the organisation's time zone.
_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class CampaignSettingsForm(forms.ModelForm):
    launch_at = forms.DateTimeField(
        label=_("launch on"),
        required=False,
        input_formats=[_DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DATETIME_FORMAT),
        help_text=_("Empty: the survey waits until someone launches it."),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "question_en",
            "question_nl",
            "open_questions_en",
            "open_questions_nl",
            "anonymous",
            "sample_size",
            "lookback_days",
            "not_surveyed_days",
            "link_valid_days",
            "launch_at",
            "repeat",
            "reminder_after_days",
        ]
        widgets = {
            "open_questions_en": forms.Textarea(attrs={"rows": 3}),
            "open_questions_nl": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "question_nl": _("Empty: Dutch-speaking requesters get the English question."),
            "sample_size": _("At most this many requesters, drawn at random from the audience."),
            "lookback_days": _(
                "The audience: requesters with a ticket closed in this many days before the launch."
            ),
        }
        error_messages = {
            "name": {"required": _("Give the survey a name.")},
            "question_en": {"required": _("Write the question in English.")},
        }

    def clean_launch_at(self) -> datetime | None:
        launch_at = self.cleaned_data["launch_at"]
        # Unchanged is fine: a draft whose moment has just come waits for the next beat tick.
        if (
            launch_at is not None
            and launch_at < timezone.now()
            and launch_at != self.instance.launch_at
        ):
            raise ValidationError(
                _("The launch date has passed: choose a moment from now on, or launch it now.")
            )
        return launch_at

    def clean_lookback_days(self) -> int:
        days = self.cleaned_data["lookback_days"]
        if days < 1:
            raise ValidationError(
                _("Count at least one day of closed tickets, or nobody is in the audience.")
            )
        return days
