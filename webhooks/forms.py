from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Event


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=2000,
        assume_scheme="https",
        help_text=_(
            "Where ITPulse POSTs each event, signed per the Standard Webhooks specification."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )
