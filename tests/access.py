"""Asserting how a page refuses someone: a 404 for a role that does not reach it, the "no role"
page (403, saying whom to ask) for a signed-in person without any role, and the refusal page
(403, in the site's layout, saying whom to ask) for a role that the admin is not for."""

NO_ROLE_TEXT = "You have no role in ITPulse yet"
REFUSED_TEXT = "ask an ITPulse administrator"


def is_no_role_page(response) -> bool:
    return response.status_code == 403 and NO_ROLE_TEXT in response.content.decode()


def is_refused_page(response) -> bool:
    html = response.content.decode()
    return response.status_code == 403 and REFUSED_TEXT in html and 'class="navbar' in html
