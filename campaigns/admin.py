from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import LOCKED_AFTER_LAUNCH, LOCKED_MESSAGE, Campaign
from .services import campaign_launch, campaign_resume, campaign_save

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec


class CampaignAdminForm(forms.ModelForm):
    """The admin's modelform_factory gives it the model and the fields."""

    def clean(self) -> dict[str, Any] | None:
        # After launch the locked fields are read-only, so the form has no inputs for them and
        # would silently drop a request that still carries one: refuse it instead. (An unticked
        # checkbox sends nothing, so only a sent value can be told apart from the read-only page.)
        cleaned = super().clean()
        if self.instance.pk is not None and self.instance.is_launched:
            for name in LOCKED_AFTER_LAUNCH:
                key = self.add_prefix(name)
                if name in self.fields or key not in self.data:
                    continue
                model_field = Campaign._meta.get_field(name)
                assert isinstance(model_field, models.Field)  # the locked ones are plain fields
                field = model_field.formfield()
                assert field is not None  # ... each with a form field
                sent = field.to_python(field.widget.value_from_datadict(self.data, self.files, key))
                if sent != getattr(self.instance, name):
                    self.add_error(None, LOCKED_MESSAGE)
                    break
        return cleaned


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ["name", "status", "sample_size", "anonymous", "launched_at"]
    # The schedule, repeat and reminder are set in the settings area (/settings/surveys/), which
    # checks them together; here they are shown only.
    readonly_fields = [
        "status",
        "launched_at",
        "created_at",
        "launch_at",
        "repeat",
        "reminder_after_days",
        "finished_at",
    ]
    actions = ["launch"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Campaign | None = None
    ) -> list[str] | tuple[str, ...]:
        if obj is not None and obj.is_launched:
            return [*LOCKED_AFTER_LAUNCH, *self.readonly_fields]
        return list(self.readonly_fields)

    def get_fieldsets(self, request: HttpRequest, obj: Campaign | None = None) -> "_FieldsetSpec":
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.is_launched:
            # Tell every reader why these are not inputs any more.
            fieldsets[0][1]["description"] = LOCKED_MESSAGE
        return fieldsets

    def save_model(
        self, request: HttpRequest, obj: Campaign, form: "forms.ModelForm[Campaign]", change: bool
    ) -> None:
        campaign_save(campaign=obj)

    @admin.action(description=_("Launch: draw the sample and send the survey"))
    def launch(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        for campaign in queryset:
            if campaign.is_launched:
                # Launched before: an interrupted sending resumes, nobody is asked twice.
                left = campaign_resume(campaign=campaign)
                self.message_user(
                    request,
                    _("%(campaign)s: already launched; %(count)s invitations still to send.")
                    % {"campaign": campaign, "count": left},
                    messages.INFO,
                )
                continue
            chosen = campaign_launch(campaign=campaign)
            self.message_user(
                request,
                _("%(campaign)s: sent to %(count)s requesters.")
                % {"campaign": campaign, "count": chosen},
                messages.SUCCESS,
            )
