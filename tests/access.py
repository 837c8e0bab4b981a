"""Asserting how a page refuses someone: a 404 for a role that does not reach it, the "no role"
page (403, saying whom to ask) for a signed-in person without any role."""

NO_ROLE_TEXT = "You have no role in ITPulse yet"


def is_no_role_page(response) -> bool:
    return response.status_code == 403 and NO_ROLE_TEXT in response.content.decode()
