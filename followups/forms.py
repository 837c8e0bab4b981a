from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from surveys.models import Language, Reason

from .models import FollowUpCase, KeywordRule
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


# The settings area's reasons and keyword rules (views/settings.py).

# A keyword matches every word that starts with it (KeywordRule.matches): one letter would tag
# nearly every comment.
MIN_KEYWORD_LENGTH = 3


class ReasonForm(forms.ModelForm):
    class Meta:
        model = Reason
        fields = ["name_en", "name_nl", "slug", "position", "active"]
        help_texts = {
            "name_nl": _("Empty: Dutch-speaking requesters and staff see the English name."),
            "slug": _(
                "The reason's name in exports and the API (letters, digits, hyphens). "
                "Leave empty to derive it from the English name."
            ),
            "position": _("Reasons are listed by this number, lowest first."),
            "active": _(
                "An inactive reason is no longer offered or suggested; answers tagged with it "
                "keep their tag."
            ),
        }
        error_messages = {
            "name_en": {"required": _("Give the reason a name in English.")},
            "slug": {"unique": _("A reason with this short name already exists.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].label = _("short name")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if "slug" in data and not data["slug"] and data.get("name_en"):
            data["slug"] = slugify(data["name_en"])[:50]
            if not data["slug"]:
                self.add_error("slug", _("Give a short name of letters or digits."))
            elif Reason.objects.filter(slug=data["slug"]).exclude(pk=self.instance.pk).exists():
                self.add_error("slug", _("A reason with this short name already exists."))
        return data


class KeywordRuleForm(forms.ModelForm):
    class Meta:
        model = KeywordRule
        fields = ["reason", "language", "keywords", "active"]
        widgets = {"keywords": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "reason": {
                "required": _("Choose the reason these words suggest."),
                "invalid_choice": _("Choose one of the reasons listed."),
            },
            "keywords": {"required": _("Give at least one word or phrase.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)  # (a model field with choices)
        language.choices = [("", _("any language")), *Language.choices]

    def clean_keywords(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["keywords"].splitlines()]
        words = list(dict.fromkeys(line for line in lines if line))
        if not words:
            raise ValidationError(_("Give at least one word or phrase."))
        short = [word for word in words if len(word) < MIN_KEYWORD_LENGTH]
        if short:
            raise ValidationError(
                _(
                    "A keyword needs at least %(length)s letters, or it matches almost every "
                    "comment: %(words)s"
                ),
                params={"length": MIN_KEYWORD_LENGTH, "words": ", ".join(short[:5])},
            )
        return "\n".join(words)
