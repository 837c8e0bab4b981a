"""The team set-up's forms. Each says what is wrong in the reader's language and saves nothing
while any field is wrong (the services save only a valid form)."""

import re
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from delivery.models import DeliveryRule
from followups.models import TeamRules
from scoring.targets import RANGES, kind_of
from surveys.models import Agent, Team
from surveys.scales import NPS

# Addresses that are pages of the settings area itself, never a team's slug.
RESERVED_SLUGS = frozenset({"new"})

WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]


class TeamCreateForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "slug"]
        help_texts = {
            "slug": _(
                "The team's name in addresses and the API (letters, digits, hyphens). "
                "Leave empty to derive it from the name."
            )
        }
        error_messages = {
            "name": {"unique": _("A team with this name already exists.")},
            "slug": {"unique": _("A team with this short name already exists.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].label = _("short name")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if "slug" in data and not data["slug"] and data.get("name"):
            data["slug"] = slugify(data["name"])[:50]
            if not data["slug"]:
                self.add_error("slug", _("Give a short name of letters or digits."))
            elif Team.objects.filter(slug=data["slug"]).exists():
                self.add_error("slug", _("A team with this short name already exists."))
        if data.get("slug") in RESERVED_SLUGS:
            self.add_error("slug", _("This short name is reserved; choose another."))
        return data


class DeliveryRuleForm(forms.ModelForm):
    office_days = forms.MultipleChoiceField(
        label=_("office days"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only used with office hours."),
    )

    class Meta:
        model = DeliveryRule
        fields = [
            "send_delay_minutes",
            "office_hours_start",
            "office_hours_end",
            "office_days",
            "sample_percent",
            "throttle_days",
            "reminder_after_days",
            "link_valid_days",
            "excluded_addresses",
            "exclude_service_accounts",
        ]
        widgets = {
            "office_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "office_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "excluded_addresses": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "sample_percent": {
                "max_value": _("The sample is a share of tickets: at most %(limit_value)s%%."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["office_days"] = list(self.instance.office_days or "12345")
        self.fields["link_valid_days"].widget.attrs["min"] = 1

    def clean_office_days(self) -> str:
        return "".join(sorted(self.cleaned_data["office_days"]))

    def clean_link_valid_days(self) -> int:
        days = self.cleaned_data["link_valid_days"]
        if days < 1:
            raise ValidationError(_("A survey link must stay valid for at least one day."))
        return days

    def clean_excluded_addresses(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["excluded_addresses"].splitlines()]
        wrong = [line for line in lines if line and not _is_address_or_domain(line)]
        if wrong:
            raise ValidationError(
                _("Not an address or a domain (one per line, e.g. @example.org): %(lines)s"),
                params={"lines": ", ".join(wrong[:5])},
            )
        return "\n".join(line for line in lines if line)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        reminder, valid = data.get("reminder_after_days"), data.get("link_valid_days")
        if reminder is not None and valid is not None and reminder >= valid:
            self.add_error(
                "reminder_after_days",
                _("The reminder must go out before the link expires (after %(days)s days).")
                % {"days": valid},
            )
        if data.get("office_hours_start") is not None and not data.get("office_days"):
            self.add_error("office_days", _("Choose at least one office day."))
        if not data.get("office_days"):
            data["office_days"] = "12345"  # unused without office hours; the model needs one
        return data


_DOMAIN = re.compile(r"^@?([a-z0-9-]+\.)+[a-z]{2,}$", re.IGNORECASE)


def _is_address_or_domain(line: str) -> bool:
    if "@" in line.lstrip("@"):
        try:
            validate_email(line)
        except ValidationError:
            return False
        return True
    return bool(_DOMAIN.match(line))


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = [
            "question_type",
            "question_en",
            "question_nl",
            "follow_up_en",
            "follow_up_nl",
            "show_agent",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_type"].help_text = _(
            "Changing the question type starts a new series: answers to the earlier question "
            "are not mixed with the new one."
        )


class AnonymityForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["anonymous"]


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = TeamRules
        fields = ["detractor_threshold"]

    def clean_detractor_threshold(self) -> int:
        value = self.cleaned_data["detractor_threshold"]
        if not NPS.low <= value <= NPS.high:
            raise ValidationError(
                _("The threshold is a score from %(low)s to %(high)s."),
                params={"low": NPS.low, "high": NPS.high},
            )
        return value


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class LeadForm(forms.Form):
    user = UserChoiceField(
        label=_("user account"),
        queryset=get_user_model().objects.none(),
        error_messages={
            "required": _("Choose the user account to make a team lead."),
            "invalid_choice": _("Choose one of the active user accounts listed."),
        },
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["user"])
        field.queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(led_teams=team)
            .order_by("last_name", "first_name", "username")
        )


def user_label(user) -> str:
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


class AgentForm(forms.ModelForm):
    """An agent of the team: the e-mail address their tickets carry (which ties each ticket to
    them), a name, and the user account through which they read their own feedback."""

    account = UserChoiceField(
        label=_("user account"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_(
            "Optional: the account this agent signs in with to read the feedback on their own "
            "tickets."
        ),
        error_messages={"invalid_choice": _("Choose one of the active user accounts listed.")},
    )

    class Meta:
        model = Agent
        fields = ["name", "email"]
        help_texts = {"email": _("The address the helpdesk names on this agent's tickets.")}
        error_messages = {
            "email": {"unique": _("An agent with this e-mail address exists already.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        taken = Agent.objects.filter(user__isnull=False)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
            self.initial["account"] = self.instance.user_id
        field = cast(forms.ModelChoiceField, self.fields["account"])
        field.queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(pk__in=taken.values("user"))
            .order_by("last_name", "first_name", "username")
        )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class TargetForm(forms.Form):
    """The team's target for its current question type's series, in the headline's unit."""

    value = forms.DecimalField(
        label=_("Target"),
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text=_(
            "Your team's own aim, drawn on its chart and named in the digest; empty for none. "
            "NPS from -100 to 100, CSAT as a percentage from 0 to 100, CES as a mean from 1 to 7. "
            "It is never used to compare teams."
        ),
    )

    def __init__(self, *args, question_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_type = question_type

    def clean_value(self):
        value = self.cleaned_data["value"]
        low, high = RANGES[kind_of(self.question_type)]
        if value is not None and not low <= value <= high:
            raise ValidationError(
                _("For this question type a target is from %(low)s to %(high)s."),
                params={"low": low, "high": high},
            )
        return value
