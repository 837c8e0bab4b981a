from django.contrib import admin

from .models import CaseNote, FollowUpCase, Preference, TeamRules


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
