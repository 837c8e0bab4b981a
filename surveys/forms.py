import zoneinfo
from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Language, Reason, Team
from .questions import QuestionType, score_error
from .scales import NPS, scale_for

SCORE_CHOICES = [(score, str(score)) for score in NPS.scores]


class ReasonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name  # in the page's language


def score_field(question_type: str = QuestionType.NPS) -> forms.TypedChoiceField:
    """The question as radio buttons on its type's scale (a periodic survey's: 0–10). A score
    outside the scale (a hand-made link or POST) gets the same clear message as none."""
    error = score_error(question_type)
    return forms.TypedChoiceField(
        label=_("Your score"),
        choices=[(score, str(score)) for score in scale_for(question_type).scores],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
    )


class SurveyForm(forms.Form):
    """The one-question survey. Build it with the invitation's team, inside its language."""

    score = score_field()
    reasons = ReasonChoiceField(
        label=_("What mattered most? (optional)"),
        queryset=Reason.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("What could we do better? (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args,
        team: Team | None = None,
        question_type: str | None = None,
        reasons_offered: bool | None = None,
        **kwargs,
    ):
        """`question_type`: the scale asked, the team's own unless the answer being changed was
        given on another (surveys.services.answer_scale). `reasons_offered`: whether the team
        has active quick picks, when the caller knows already (invitation_for_token asks)."""
        super().__init__(*args, **kwargs)
        kind = question_type or (team.question_type if team is not None else QuestionType.NPS)
        self.fields["score"] = score_field(kind)
        reasons = self.fields["reasons"]
        assert isinstance(reasons, ReasonChoiceField)  # (self.fields holds the declared ones)
        if team is not None:
            if reasons_offered is not False:  # (building the queryset alone costs ~0.3 ms)
                reasons.queryset = team.active_reasons()
            self.fields["comment"].label = _("%(question)s (optional)") % {
                "question": team.follow_up()
            }
        if reasons_offered is None:
            reasons_offered = reasons.queryset is not None and reasons.queryset.exists()
        if not reasons_offered:
            del self.fields["reasons"]


class TicketFields(forms.Form):
    """The fields of a closed ticket, as staff close one by hand."""

    source = forms.CharField(label=_("Source system"), max_length=50)
    external_id = forms.CharField(label=_("Ticket id"), max_length=100)
    subject = forms.CharField(label=_("Subject"), max_length=255, required=False)
    requester_email = forms.EmailField(label=_("Requester e-mail"))
    requester_name = forms.CharField(label=_("Requester name"), max_length=150, required=False)
    requester_language = forms.ChoiceField(
        label=_("Requester language"), choices=[("", "—"), *Language.choices], required=False
    )
    requester_time_zone = forms.CharField(
        label=_("Requester time zone"),
        max_length=64,
        required=False,
        help_text=_("For example Europe/Amsterdam. Empty: the organisation's zone."),
    )
    agent_email = forms.EmailField(label=_("Agent e-mail"), required=False)
    agent_name = forms.CharField(label=_("Agent name"), max_length=150, required=False)
    closed_at = forms.DateTimeField(label=_("Closed at"))

    def clean_requester_time_zone(self):
        zone = self.cleaned_data["requester_time_zone"].strip()
        if zone and zone not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                _("Unknown time zone %(zone)s; use a name such as Europe/Amsterdam."),
                params={"zone": zone},
            )
        return zone

    def clean_closed_at(self):
        closed_at = self.cleaned_data["closed_at"]
        if closed_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("A ticket cannot be closed in the future."))
        if closed_at.year < 2000:  # also keeps year-1 times, which PostgreSQL refuses, out
            raise forms.ValidationError(_("A ticket closed before 2000 is too old for a survey."))
        return closed_at


class TicketCloseForm(TicketFields):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all())

    field_order = ["team", "source", "external_id", "subject"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].initial = "manual"
        self.fields["closed_at"].initial = timezone.now
        # The browser only shows (and posts) a value in the ISO form "2026-11-25T10:00".
        self.fields["closed_at"].widget = forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Close ticket and send survey")))
