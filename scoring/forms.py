"""The team page's choices: which period, how to group the trend, which comments."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.questions import QuestionType, band_labels
from surveys.scales import scale_for

from .selectors import Period

PERIOD_DAYS = {"30": 30, "90": 90, "365": 365}
DEFAULT_PERIOD = "90"
LONGEST = timedelta(days=3660)  # ten years: any longer is a typo, and a very long page


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("30", _("Last 30 days")),
            ("90", _("Last 90 days")),
            ("365", _("Last 365 days")),
            ("custom", _("Custom range")),
        ],
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    interval = forms.ChoiceField(
        label=_("Trend per"),
        required=False,
        choices=[("", _("automatic")), ("week", _("week")), ("month", _("month"))],
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("period") == "custom":
            since, until = data.get("since"), data.get("until")
            if not since or not until:
                raise forms.ValidationError(_("A custom range needs both a start and an end date."))
            if since > until:
                raise forms.ValidationError(_("The start date must not be after the end date."))
            if until - since > LONGEST:
                raise forms.ValidationError(_("Choose a range of at most ten years."))
        return data

    def chosen(self, today: date) -> tuple[Period, str]:
        """The period and trend interval asked for, or the defaults when the form is invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        choice = data.get("period") or DEFAULT_PERIOD
        if choice == "custom":
            period = Period(data["since"], data["until"])
        else:
            period = Period.last(PERIOD_DAYS[choice], today)
        interval = data.get("interval") or ("week" if period.days <= 120 else "month")
        return period, interval


class CommentFilterForm(forms.Form):
    """The comments' filter, in the bands and scores of the team's question type."""

    category = forms.ChoiceField(label=_("Category"), required=False)
    score = forms.TypedChoiceField(label=_("Score"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, question_type: str = QuestionType.NPS, **kwargs):
        super().__init__(*args, **kwargs)
        scale = scale_for(question_type)
        names = [band.name for band in scale.categories]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("all")),
            *zip(names, band_labels(question_type), strict=True),
        ]
        self.fields["score"].choices = [  # type: ignore[attr-defined]
            ("", _("all")),
            *((str(s), str(s)) for s in scale.scores),
        ]

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}
