from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Agent,
    ApiToken,
    CapturedEmail,
    Invitation,
    LinkClick,
    Reason,
    Requester,
    Response,
    Team,
    Ticket,
)
from .services import response_delete


@admin.register(Reason)
class ReasonAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_nl", "slug", "active", "position"]
    list_editable = ["active", "position"]
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["name_en", "name_nl", "slug"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "question_type", "show_agent", "anonymous"]
    list_filter = ["question_type", "anonymous"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["quick_pick_reasons"]
    search_fields = ["name", "slug"]
    # Leading a team is a role: it is given on the person's page (Users), which records it.
    readonly_fields = ["leads"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "slug", "leads"],
                "description": _(
                    "Team leads are chosen on each person's page under Users, where every "
                    "change of role is recorded in the audit log."
                ),
            },
        ),
        (
            _("Survey question"),
            {
                "fields": [
                    "question_type",
                    ("question_en", "question_nl"),
                    ("follow_up_en", "follow_up_nl"),
                    "quick_pick_reasons",
                ]
            },
        ),
        (_("Privacy"), {"fields": ["show_agent", "anonymous"]}),
    ]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "team"]
    list_filter = ["team"]
    search_fields = ["name", "email"]
    raw_id_fields = ["user"]


@admin.register(Requester)
class RequesterAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "language", "language_chosen_at", "opted_out_at"]
    list_filter = ["language"]
    search_fields = ["email", "name"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["external_id", "source", "subject", "team", "agent", "closed_at"]
    list_filter = ["source", "team"]
    search_fields = ["external_id", "subject", "requester__email"]
    raw_id_fields = ["agent", "requester"]
    date_hierarchy = "closed_at"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["ticket", "team", "agent", "status", "reason", "sent_at", "scanned_at"]
    list_filter = ["status", "team"]
    search_fields = ["ticket__external_id", "requester__email"]
    raw_id_fields = ["ticket", "requester"]
    # What the dashboard's counts are kept by (team, status, the day sent) changes only
    # through the services, which keep the counts with it (as for ResponseAdmin's scores).
    readonly_fields = [
        "team",
        "agent",
        "status",
        "claimed_at",
        "sent_at",
        "answered_at",
        "scanned_at",
        "attempts",
        "created_at",
    ]


@admin.register(LinkClick)
class LinkClickAdmin(admin.ModelAdmin):
    list_display = ["invitation", "clicked_at", "seconds_since_sent", "score", "client"]
    list_filter = ["client"]
    raw_id_fields = ["invitation"]
    readonly_fields = ["invitation", "clicked_at", "seconds_since_sent", "score", "client"]

    def has_add_permission(self, request):
        # Clicks are facts recorded by the survey page, not something to type in.
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["invitation", "team", "agent", "score", "created_at"]
    list_filter = ["team", "score"]
    search_fields = ["comment"]
    filter_horizontal = ["reasons"]
    date_hierarchy = "created_at"
    # Scores are counted in the dashboard's rollups: they change only through the services.
    readonly_fields = ["invitation", "team", "agent", "score", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        response_delete(response=obj)

    def delete_queryset(self, request, queryset):
        for response in queryset:
            response_delete(response=response)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "scopes", "owner", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    # Scopes, expiry and revocation change only through the staff page or the commands, which
    # record each change in the audit trail.
    readonly_fields = [
        "prefix",
        "scopes",
        "owner",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]

    def has_add_permission(self, request):
        # A token is shown once, at creation: the staff page or the create_api_token command.
        return False

    def has_delete_permission(self, request, obj=None):
        # Revoke instead (staff page or revoke_api_token): that is audited, a deletion was not.
        return False


@admin.register(CapturedEmail)
class CapturedEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "created_at"]
