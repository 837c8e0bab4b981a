from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Team

from .csv_import import MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV export"), help_text=_("The first line names the columns. At most 2 MB.")
    )
    source = forms.CharField(
        label=_("Source system"),
        max_length=50,
        initial="csv",
        help_text=_("With the ticket id it identifies a ticket: use the tool's name."),
    )
    default_team = forms.ModelChoiceField(
        label=_("Team for rows without one"), queryset=Team.objects.all(), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class ImportCommitForm(forms.Form):
    """The checked file travels back with the preview, so the server keeps no state between."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES, strip=False)
    source = forms.CharField(widget=forms.HiddenInput, max_length=50)
    default_team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, widget=forms.HiddenInput
    )
