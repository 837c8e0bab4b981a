"""Which language a page is in, before anyone is signed in (docs/configuration.md, "Language").

Django's LocaleMiddleware asks the browser's Accept-Language before LANGUAGE_CODE, so an
organisation that sets LANGUAGE_CODE=nl still shows English to everyone whose browser asks for
English, which is most of an IT department. Here the order is: the language switch's cookie (a
choice made on this browser), then LANGUAGE_CODE when the organisation set it, then the browser,
then English. A signed-in user's own choice comes later, once the user is known
(accounts.middleware.UserPreferencesMiddleware).
"""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def supported(code: str | None) -> str | None:
    """The language of ours that `code` names (nl-BE → nl), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def request_language(request: HttpRequest) -> str:
    chosen = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    if settings.ITPULSE_LANGUAGE_SET:
        return supported(settings.LANGUAGE_CODE) or "en"
    return translation.get_language_from_request(request)


class OrganisationLocaleMiddleware(LocaleMiddleware):
    """LocaleMiddleware (it still sets Content-Language and Vary) with our order of choices."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
