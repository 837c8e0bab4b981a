from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from surveys.models import Team

from .models import Preference
from .roles import GLOBAL_ROLES, Role
from .services import roles_of, roles_set

User = get_user_model()


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "time_zone", "digest_enabled", "digest_weekday"]
    raw_id_fields = ["user"]


class RolesForm(UserChangeForm):
    """A person's roles are set here, through accounts.services.roles_set (so each change is
    in the audit log), never by editing groups, permissions or the staff flag directly."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[(role.value, role.label) for role in Role if role in GLOBAL_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Administrators and auditors also get into this admin site. An agent is linked on "
            "the agent's page."
        ),
    )
    lead_teams = forms.ModelMultipleChoiceField(
        label=_("Leads the teams"),
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    own_roles_locked = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            held = roles_of(self.instance) & GLOBAL_ROLES
            self.fields["roles"].initial = sorted(role.value for role in held)
            self.fields["lead_teams"].initial = list(self.instance.led_teams.all())
        if self.own_roles_locked:
            # Nobody widens their own reach: another administrator has to.
            for name in ("roles", "lead_teams"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Your own roles are changed by someone else.")


admin.site.unregister(User)


@admin.register(User)
class RolesUserAdmin(UserAdmin):
    form = RolesForm
    list_display = ("username", "email", "first_name", "last_name", "roles_shown", "is_active")
    list_filter = ("groups", "is_active")
    filter_horizontal = ()

    @admin.display(description=_("roles"))
    def roles_shown(self, user) -> str:
        return ", ".join(str(role.label) for role in sorted(roles_of(user)))

    def get_queryset(self, request):
        users = super().get_queryset(request)
        # Only a superuser may touch a superuser (their password included).
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        status = ("is_active", "is_superuser") if request.user.is_superuser else ("is_active",)
        return (
            (None, {"fields": ("username", "password")}),
            (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
            (_("Roles"), {"fields": ("roles", "lead_teams")}),
            (_("Status"), {"fields": status}),
            (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        )

    # (UserAdmin's own signature, without ModelAdmin's `change`; django-stubs flag it the same.)
    def get_form(self, request, obj=None, **kwargs):  # type: ignore[override]
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            form = type("OwnRolesForm", (form,), {"own_roles_locked": True})
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and not form.own_roles_locked:
            roles_set(
                user=form.instance,
                roles=form.cleaned_data["roles"],
                lead_teams=form.cleaned_data["lead_teams"],
                actor=request.user,
            )
