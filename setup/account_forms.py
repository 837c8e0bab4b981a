"""The user-account forms of the settings area: who a person is (username, e-mail address,
name, language) and their roles (administrator, IT manager, auditor, the teams they lead, the
team they are an agent in). Roles are written by accounts.services, never here."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import GLOBAL_ROLES, Role
from accounts.services import roles_of
from surveys.models import Agent, Language, Team

User = get_user_model()

GLOBAL_CHOICES = [(role.value, role.label) for role in Role if role in GLOBAL_ROLES]


class AccountForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("language"),
        choices=Language.choices,
        help_text=_("Of ITPulse's pages and e-mails for this person."),
    )
    roles = forms.MultipleChoiceField(
        label=_("roles"),
        choices=GLOBAL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Administrators set up ITPulse (no scores); IT managers see every team's scores "
            "and comments; auditors read the audit log."
        ),
    )
    lead_teams = forms.ModelMultipleChoiceField(
        label=_("team lead of"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agent_team = forms.ModelChoiceField(
        label=_("agent in"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("(not an agent)"),
        help_text=_(
            "An agent reads the feedback on their own tickets: those the helpdesk names with "
            "this account's e-mail address."
        ),
    )

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name"]
        error_messages = {
            "username": {"unique": _("An account with this username already exists.")},
        }

    # Set by the view: the person's own roles are changed by someone else.
    own = False

    def __init__(self, *args, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.own = own
        teams = Team.objects.order_by("name")
        cast(forms.ModelMultipleChoiceField, self.fields["lead_teams"]).queryset = teams
        cast(forms.ModelChoiceField, self.fields["agent_team"]).queryset = teams
        self.fields["email"].required = True
        user = self.instance
        if user.pk is not None:
            self.fields["username"].disabled = True
            self.fields["username"].help_text = ""
            held = roles_of(user) & GLOBAL_ROLES
            self.initial["roles"] = sorted(role.value for role in held)
            self.initial["lead_teams"] = list(user.led_teams.all())
            agent = Agent.objects.filter(user=user).first()
            self.initial["agent_team"] = agent.team_id if agent else None
            preference = getattr(user, "preference", None)
            self.initial["language"] = preference.language if preference else Language.ENGLISH
        if own:
            for name in ("roles", "lead_teams", "agent_team"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Your own roles are changed by someone else.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            # Sign-in, password resets and the agent link go by this address: one account each.
            raise forms.ValidationError(_("Another account has this e-mail address."))
        return email

    def clean(self):
        super().clean()
        data = self.cleaned_data
        team, email = data.get("agent_team"), data.get("email")
        if team is not None and email:
            agent = Agent.objects.filter(email__iexact=email).select_related("team").first()
            if agent is not None and agent.team_id != team.pk:
                self.add_error(
                    "agent_team",
                    _("The agent with this e-mail address works in team %(team)s.")
                    % {"team": agent.team.name},
                )
            elif agent is not None and agent.user_id not in (None, self.instance.pk):
                self.add_error(
                    "agent_team",
                    _("The agent with this e-mail address belongs to another account."),
                )
        return data

    def role_fields_changed(self) -> bool:
        return any(name in self.changed_data for name in ("roles", "lead_teams", "agent_team"))


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(
        choices=[("0", "0"), ("1", "1")], coerce=lambda value: value == "1"
    )
