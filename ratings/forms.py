from django import forms
from django.utils.translation import gettext_lazy as _


class CustomerRatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Collaboration (0–10)"),
        choices=[(score, str(score)) for score in range(11)],
        coerce=int,
        help_text=_("Was the request clear, was the requester reachable?"),
    )
