from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .campaigns import campaign_launch
from .models import (
    Campaign,
    CaseNote,
    FollowUpCase,
    KeywordRule,
    Preference,
    ResponseTag,
    TeamRules,
)

# CustomerRating is deliberately not in the admin: ratings are seen only per department.


@admin.register(TeamRules)
class TeamRulesAdmin(admin.ModelAdmin):
    list_display = ["team", "detractor_threshold", "rate_customers"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "time_zone", "digest_enabled", "digest_weekday"]
    raw_id_fields = ["user"]


class CaseNoteInline(admin.TabularInline):
    model = CaseNote
    extra = 0
    raw_id_fields = ["author"]


@admin.register(FollowUpCase)
class FollowUpCaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "team", "status", "owner", "due_at"]
    list_filter = ["status", "team"]
    raw_id_fields = ["response", "owner"]
    inlines = [CaseNoteInline]


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin):
    list_display = ["reason", "language", "active"]
    list_filter = ["language", "active", "reason"]


@admin.register(ResponseTag)
class ResponseTagAdmin(admin.ModelAdmin):
    list_display = ["response", "reason", "source", "tagged_by", "created_at"]
    list_filter = ["source", "reason"]
    raw_id_fields = ["response", "tagged_by"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "sample_size", "anonymous", "launched_at"]
    readonly_fields = ["status", "launched_at", "created_at"]
    actions = ["launch"]

    @admin.action(description=_("Launch: draw the sample and send the survey"))
    def launch(self, request, queryset):
        for campaign in queryset.filter(status=Campaign.Status.DRAFT):
            chosen = campaign_launch(campaign=campaign)
            self.message_user(
                request,
                _("%(campaign)s: sent to %(count)s requesters.")
                % {"campaign": campaign, "count": chosen},
                messages.SUCCESS,
            )
