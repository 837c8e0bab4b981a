from django.utils.functional import SimpleLazyObject

from . import access as rules


def access(request) -> dict:
    """`access.<question>` for the navigation: what this user's roles reach. Lazy, so that pages
    without the navigation (the requester's) ask nothing."""

    def answers() -> dict[str, bool]:
        user = request.user
        return {
            "any_role": rules.has_role(user),
            "it_manager": rules.is_it_manager(user),
            "tickets": rules.may_see_tickets(user),
            "delivery": rules.may_see_delivery(user),
            "connectors": rules.may_manage_connectors(user),
            "import": rules.may_import_tickets(user),
            "audit": rules.may_read_audit(user),
            "api_tokens": rules.may_see_api_tokens(user),
            "webhooks": rules.may_manage_webhooks(user),
            "agent": rules.agent_for_user(user) is not None,
            "settings": rules.may_open_settings(user),
        }

    return {"access": SimpleLazyObject(answers)}
