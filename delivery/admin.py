from django.contrib import admin

from .models import DeliveryRule, SuppressedAddress


@admin.register(DeliveryRule)
class DeliveryRuleAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "send_delay_minutes",
        "office_hours_start",
        "office_hours_end",
        "sample_percent",
        "throttle_days",
        "reminder_after_days",
        "link_valid_days",
    ]


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reason", "detail", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email", "email_hash"]
