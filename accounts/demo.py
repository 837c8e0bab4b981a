"""The demo's one login: a manager who sees every team and runs delivery (the demo's survey
e-mails are read on the Sent mail page)."""

from django.contrib.auth import get_user_model

from .roles import Role
from .services import role_grant


def demo_manager(*, password: str):
    User = get_user_model()
    user, _created = User.objects.get_or_create(username="manager")
    user.set_password(password)
    user.save()
    role_grant(user=user, role=Role.IT_MANAGER)
    role_grant(user=user, role=Role.ADMINISTRATOR)
    return user
