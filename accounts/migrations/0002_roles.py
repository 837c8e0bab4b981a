# One group per global role, holding that role's permissions (accounts/roles.py ROLE_PERMISSIONS
# as of this migration; tests/test_roles_groups.py checks the two agree). People who held the IT
# manager permission directly are moved into the group, so that taking the role takes the
# permission too.

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations


def _crud(*models):
    return [f"{m.split('.')[0]}.{verb}_{m.split('.')[1]}" for m in models for verb in ("add", "change", "delete", "view")]


ROLE_PERMISSIONS = {
    "administrator": _crud(
        "surveys.team",
        "surveys.agent",
        "surveys.reason",
        "surveys.apitoken",
        "delivery.deliveryrule",
        "delivery.suppressedaddress",
        "integrations.connector",
        "followups.teamrules",
        "followups.keywordrule",
        "followups.campaign",
    )
    + [
        "accounts.view_delivery",
        "accounts.import_tickets",
        "accounts.view_preference",
        "accounts.change_preference",
        "audit.view_auditevent",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "surveys.view_requester",
        "surveys.change_requester",
        "surveys.view_ticket",
        "surveys.view_invitation",
        "surveys.view_linkclick",
        "surveys.view_capturedemail",
        "integrations.view_delivery",
    ],
    "it_manager": ["surveys.view_all_teams"],
    "auditor": ["audit.view_auditevent"],
}


def _permission(Permission, dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def groups_create(apps, schema_editor):
    # Permissions are normally made after all migrations ran (post_migrate); make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    for name, dotted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(Permission, d) for d in dotted])
    manager = _permission(Permission, "surveys.view_all_teams")
    it_managers = Group.objects.get(name="it_manager")
    for user in User.objects.filter(user_permissions=manager):
        user.groups.add(it_managers)
        user.user_permissions.remove(manager)


def groups_delete(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager = _permission(Permission, "surveys.view_all_teams")
    for user in apps.get_model(settings.AUTH_USER_MODEL).objects.filter(groups__name="it_manager"):
        user.user_permissions.add(manager)
    Group.objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("audit", "0003_issue14_actions"),
        ("surveys", "0010_invitation_person_tag"),
        ("delivery", "0002_suppressed_address_hash"),
        ("integrations", "0003_delivery_calls"),
        ("followups", "0009_preference_moved"),
    ]

    operations = [migrations.RunPython(groups_create, groups_delete)]
