from django.contrib import admin

from .models import Connector, Delivery, WriteBack
from .services import connector_apply_preset


@admin.register(Connector)
class ConnectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "scheme", "active"]
    list_filter = ["kind", "active"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["default_team"]

    def save_model(self, request, obj, form, change):
        if not change:
            # A new connector starts from its tool's preset for whatever was left empty.
            connector_apply_preset(connector=obj)
        super().save_model(request, obj, form, change)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["received_at", "connector", "outcome", "status_code", "event", "external_id"]
    list_filter = ["connector", "outcome"]
    search_fields = ["external_id", "delivery_id"]
    raw_id_fields = ["ticket"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WriteBack)
class WriteBackAdmin(admin.ModelAdmin):
    """What each connector wrote back, with the reason of a retry or failure."""

    list_display = ["id", "connector", "status", "attempts", "send_after", "sent_at", "reason"]
    list_filter = ["connector", "status"]
    raw_id_fields = ["response"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
