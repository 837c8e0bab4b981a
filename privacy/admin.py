"""Access and erasure requests from the admin, for superusers: the Requester admin of surveys,
re-registered with two actions, and deleting a requester runs the erasure (it would otherwise
fail on the person's protected tickets and surveys, or lose the team's counts)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from surveys.admin import RequesterAdmin
from surveys.models import Requester

from .erasure import NothingHeld, person_erase
from .export import as_json, person_export

admin.site.unregister(Requester)


def _client(request) -> dict:
    return {"actor": request.user, "ip": request.META.get("REMOTE_ADDR")}


@admin.register(Requester)
class PersonalDataRequesterAdmin(RequesterAdmin):
    actions = ["export_personal_data", "erase_personal_data"]

    def has_superuser_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_superuser_permission(request)

    @admin.action(description=_("Export personal data"), permissions=["superuser"])
    def export_personal_data(self, request, queryset):
        people = [person_export(email=person.email, **_client(request)) for person in queryset]
        response = HttpResponse(as_json(people), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(description=_("Erase personal data"), permissions=["superuser"])
    def erase_personal_data(self, request, queryset):
        if request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Erase personal data"),
                "opts": self.model._meta,
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "privacy/erase_confirmation.html", context)
        erased = self._erase(request, queryset)
        message = _("Personal data erased: %(count)d of %(selected)d selected.")
        counts = {"count": erased, "selected": len(queryset)}
        self.message_user(request, message % counts, messages.SUCCESS)
        return None

    def _erase(self, request, people) -> int:
        erased = 0
        for person in list(people):
            try:
                person_erase(email=person.email, **_client(request))
                erased += 1
            except NothingHeld:
                pass  # erased meanwhile, by another request
        return erased

    # Deleting runs the erasure: the confirmation lists only the people, as nothing protected
    # stands in the way and their scores are kept.
    def get_deleted_objects(self, objs, request):
        people = [str(person) for person in objs]
        return people, {self.model._meta.verbose_name_plural: len(people)}, set(), []

    def delete_model(self, request, obj):
        self._erase(request, [obj])

    def delete_queryset(self, request, queryset):
        self._erase(request, queryset)
