from django.contrib import admin

from .models import (
    CaseNote,
    FollowUpCase,
    KeywordRule,
    ResponseTag,
    TeamRules,
)


@admin.register(TeamRules)
class TeamRulesAdmin(admin.ModelAdmin):
    list_display = ["team", "detractor_threshold", "rate_customers"]


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
