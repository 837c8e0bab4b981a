"""The connector form of the settings area (/settings/connectors/): what an administrator sets
for one helpdesk tool. Secrets are typed, never shown back: the webhook secret and the
write-back token are password fields that keep the stored value when left empty."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from surveys.models import Team

from .models import Connector

# Addresses of the settings area itself, never a connector's slug.
RESERVED_SLUGS = frozenset({"new"})


def team_map_text(team_map: dict) -> str:
    return "\n".join(f"{native} = {slug}" for native, slug in team_map.items())


class ConnectorForm(forms.ModelForm):
    team_lines = forms.CharField(
        label=_("team mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: the tool's group or queue = the team's short name, e.g. "
            "Service Desk = workplace."
        ),
    )
    new_secret = forms.CharField(
        label=_("secret"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    new_api_token = forms.CharField(
        label=_("API token"),
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Zendesk, Jira: the API token; GLPI: the user's API token; Freshservice: the API "
            "key; ServiceNow: the password; TOPdesk: the application password. "
            "Leave empty to keep the one stored."
        ),
    )

    field_order = [
        "name",
        "slug",
        "kind",
        "new_secret",
        "default_team",
        "team_lines",
        "source",
        "scheme",
        "timestamp_tolerance",
        "writeback",
        "api_url",
        "api_user",
        "new_api_token",
        "mapping",
        "events",
    ]

    class Meta:
        model = Connector
        fields = [
            "name",
            "slug",
            "kind",
            "default_team",
            "source",
            "scheme",
            "timestamp_tolerance",
            "mapping",
            "events",
            "writeback",
            "api_url",
            "api_user",
        ]
        error_messages = {
            "name": {"unique": _("A connector with this name already exists.")},
            "slug": {"unique": _("A connector with this short name already exists.")},
        }
        widgets = {
            "mapping": forms.Textarea(attrs={"rows": 4}),
            "events": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        fields = self.fields
        fields["slug"].required = False
        fields["slug"].label = _("short name")
        fields["slug"].help_text = _(
            "Part of the webhook address (letters, digits, hyphens). "
            "Leave empty to derive it from the name."
        )
        for name in ("mapping", "events"):
            fields[name].required = False
            # A callable model default (dict, list) would add a hidden "initial" input that
            # makes every save look like a change of the field.
            fields[name].show_hidden_initial = False
            fields[name].help_text = _("Advanced, as JSON. Empty: the tool's preset.")
        cast(forms.ModelChoiceField, fields["default_team"]).queryset = Team.objects.order_by(
            "name"
        )
        if creating:
            fields["new_secret"].help_text = _(
                "Zendesk makes its own: paste the webhook's signing secret. Other tools: leave "
                "empty and ITPulse makes one, shown once after saving."
            )
        else:
            # Another tool needs other paths, events and a signature: that is a new connector.
            fields["slug"].disabled = True
            fields["slug"].help_text = _(
                "Part of the webhook address the tool calls: it stays as it is."
            )
            fields["kind"].disabled = True
            fields["kind"].help_text = _("A connector keeps its tool: add another for a new one.")
            fields["new_secret"].label = _("new secret")
            fields["new_secret"].help_text = _(
                "Leave empty to keep the current secret (Zendesk: paste the webhook's new "
                "signing secret)."
            )
            self.initial["team_lines"] = team_map_text(self.instance.team_map)

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or ""
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This short name is reserved; choose another."))
        return slug

    def clean_team_lines(self) -> dict[str, str]:
        team_map: dict[str, str] = {}
        wrong: list[str] = []
        for line in self.cleaned_data["team_lines"].splitlines():
            if not line.strip():
                continue
            native, sep, slug = line.rpartition("=")
            native, slug = native.strip(), slug.strip()
            if not sep or not native or not slug:
                wrong.append(line.strip())
                continue
            team_map[native] = slug
        if wrong:
            raise ValidationError(
                _(
                    "Write each line as: the tool's group = team short name. Not understood: "
                    "%(lines)s"
                ),
                params={"lines": ", ".join(wrong[:5])},
            )
        known = set(Team.objects.filter(slug__in=team_map.values()).values_list("slug", flat=True))
        unknown = sorted(set(team_map.values()) - known)
        if unknown:
            raise ValidationError(
                _("No team has the short name %(slugs)s."), params={"slugs": ", ".join(unknown)}
            )
        return team_map

    def clean(self):
        super().clean()
        data = self.cleaned_data
        instance = self.instance
        if instance.pk is None and not data.get("slug") and data.get("name"):
            data["slug"] = slugify(data["name"])[:50]
            if not data["slug"]:
                self.add_error("slug", _("Give a short name of letters or digits."))
            # A derived slug that is taken is refused by the model's uniqueness check.
        # Empty JSON fields take the preset (integrations.services.connector_apply_preset).
        data["mapping"] = data.get("mapping") or {}
        data["events"] = data.get("events") or []
        if "team_lines" in data:
            instance.team_map = data["team_lines"]
        secret = data.get("new_secret")
        kind = data.get("kind") or instance.kind
        if secret:
            instance.secret = secret
        elif instance.pk is None and kind == Connector.Kind.ZENDESK:
            self.add_error(
                "new_secret",
                _("Zendesk makes the secret: paste the signing secret of the Zendesk webhook."),
            )
        if data.get("new_api_token"):
            instance.api_token = data["new_api_token"]
        return data

    def _update_errors(self, errors: ValidationError) -> None:
        # The model's own checks (Connector.clean) name the stored fields; the form shows them
        # beside the fields one types into.
        moved = {"api_token": "new_api_token", "team_map": "team_lines", "secret": "new_secret"}
        if hasattr(errors, "error_dict"):
            errors = ValidationError(
                {moved.get(name, name): value for name, value in errors.error_dict.items()}
            )
        super()._update_errors(errors)  # type: ignore[misc]  # not in django-stubs

    def changed_fields(self) -> list[str]:
        """The fields the audit line names: the stored names, never a secret's value."""
        names = {"team_lines": "team_map", "new_secret": "secret", "new_api_token": "api_token"}
        changed = [names.get(name, name) for name in self.changed_data]
        if self.instance.pk is not None and "team_lines" in self.changed_data:
            # The textarea differs in spacing from what is stored: compare what it means.
            original = Connector.objects.get(pk=self.instance.pk).team_map
            if original == self.cleaned_data["team_lines"]:
                changed.remove("team_map")
        return changed
