import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Reason

from .models import FollowUpCase, Preference
from .selectors import owner_choices


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpCase.Status.choices)


class CaseOwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("nobody yet")
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices(team)


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the requester said, what you agreed, what was fixed."),
    )


class ResponseTagsForm(forms.Form):
    reasons = forms.ModelMultipleChoiceField(
        label=_("Reasons"),
        queryset=Reason.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["language", "time_zone", "digest_enabled", "digest_weekday", "digest_hour"]

    def clean_time_zone(self):
        zone = self.cleaned_data["time_zone"].strip()
        if zone not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                _("Unknown time zone %(zone)s; use a name such as Europe/Amsterdam."),
                params={"zone": zone},
            )
        return zone

    def clean_digest_hour(self):
        hour = self.cleaned_data["digest_hour"]
        if not 0 <= hour <= 23:
            raise forms.ValidationError(_("Choose an hour from 0 to 23."))
        return hour


class CustomerRatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Collaboration (0–10)"),
        choices=[(score, str(score)) for score in range(11)],
        coerce=int,
        help_text=_("Was the request clear, was the requester reachable?"),
    )
