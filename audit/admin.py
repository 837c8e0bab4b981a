from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: a trail that can be edited proves nothing."""

    list_display = ["when", "action", "actor_label", "target", "ip"]
    list_filter = ["action"]
    search_fields = ["target", "actor_label"]
    date_hierarchy = "when"
    readonly_fields = ["when", "actor", "actor_label", "action", "target", "ip", "details"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
