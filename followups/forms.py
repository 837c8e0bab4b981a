from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from surveys.models import Reason

from .models import FollowUpCase
from .selectors import owner_choices


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpCase.Status.choices)


class CaseOwnerForm(forms.Form):
    owner: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("nobody yet")
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # (self.fields holds the declared ones)
        owner.queryset = owner_choices(team)


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
