"""Which language a page is in (docs/configuration.md, "Which language a page or e-mail is in"):
the signed-in user's preference, then the switch's cookie, then LANGUAGE_CODE when the
organisation set it, then the browser, then English."""

import pytest
from django.urls import reverse

from accounts.models import Preference

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PREFERENCES = "/me/preferences/"


@pytest.fixture
def dutch_organisation(settings):
    """LANGUAGE_CODE=nl in the environment."""
    settings.LANGUAGE_CODE = "nl"
    settings.ITPULSE_LANGUAGE_SET = True


def language_of(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    if '<html lang="nl">' in html:
        assert response["Content-Language"] == "nl"
        return "nl"
    assert '<html lang="en">' in html and response["Content-Language"] == "en"
    return "en"


def test_an_anonymous_visitor_without_accept_language_reads_the_organisations_language(
    client, dutch_organisation
):
    page = client.get(LOGIN)
    assert language_of(page) == "nl"
    assert "Aanmelden" in page.content.decode()


def test_the_organisations_language_beats_the_browsers(client, dutch_organisation):
    assert language_of(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")) == "nl"


def test_without_language_code_the_browser_decides(client, settings):
    settings.LANGUAGE_CODE, settings.ITPULSE_LANGUAGE_SET = "en", False
    assert language_of(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9")) == "nl"
    assert language_of(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="de")) == "en"


def test_the_switch_before_signing_in_beats_the_organisation(client, dutch_organisation):
    client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert language_of(client.get(LOGIN)) == "en"


def test_a_signed_in_user_without_a_preference_reads_the_organisations_language(
    client, bob, dutch_organisation
):
    client.force_login(bob)
    page = client.get(PREFERENCES)
    assert language_of(page) == "nl"
    # The form offers the language they are reading, so saving it changes nothing they see.
    assert page.context["form"].initial["language"] == "nl"


def test_the_users_preference_beats_browser_cookie_and_organisation(client, bob, settings):
    settings.LANGUAGE_CODE, settings.ITPULSE_LANGUAGE_SET = "en", True
    Preference.objects.create(user=bob, language="nl")
    client.force_login(bob)
    assert language_of(client.get(PREFERENCES, HTTP_ACCEPT_LANGUAGE="en")) == "nl"
    client.cookies["django_language"] = "en"
    assert language_of(client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")) == "nl"


def test_an_english_preference_in_a_dutch_organisation(client, bob, dutch_organisation):
    Preference.objects.create(user=bob, language="en")
    client.force_login(bob)
    assert language_of(client.get(PREFERENCES, HTTP_ACCEPT_LANGUAGE="nl")) == "en"


def test_saving_preferences_changes_the_interface_at_once(client, bob):
    client.force_login(bob)
    assert language_of(client.get(PREFERENCES)) == "en"
    form = {"language": "nl", "time_zone": "Europe/Amsterdam", "digest_weekday": 0}
    response = client.post(PREFERENCES, {**form, "digest_enabled": "on", "digest_hour": 8})
    assert response.status_code == 302
    # The cookie too: after signing out, the sign-in page stays Dutch.
    assert response.cookies["django_language"].value == "nl"
    page = client.get(PREFERENCES)
    assert language_of(page) == "nl"
    assert "De pagina's van ITPulse, uw meldingen" in page.content.decode().replace("&#x27;", "'")
    client.post(reverse("logout"))  # (client.logout() would drop the cookies too)
    assert language_of(client.get(LOGIN)) == "nl"


def test_the_switch_signed_in_saves_the_preference(client, bob):
    Preference.objects.create(user=bob, language="en", time_zone="Asia/Tokyo")
    client.force_login(bob)
    response = client.post("/i18n/setlang/", {"language": "nl", "next": PREFERENCES})
    assert response.status_code == 302
    preference = Preference.objects.get(user=bob)
    assert (preference.language, preference.time_zone) == ("nl", "Asia/Tokyo")
    # A fresh browser (no cookie) of the same person: still Dutch.
    client.cookies.clear()
    client.force_login(bob)
    assert language_of(client.get(PREFERENCES)) == "nl"


def test_the_switch_signed_in_without_a_preference_makes_one(client, bob, settings):
    client.force_login(bob)
    client.post("/i18n/setlang/", {"language": "nl", "next": PREFERENCES})
    preference = Preference.objects.get(user=bob)
    assert (preference.language, preference.time_zone) == ("nl", settings.TIME_ZONE)


def test_an_unknown_language_from_the_switch_changes_nothing(client, bob):
    client.force_login(bob)
    client.post("/i18n/setlang/", {"language": "de", "next": PREFERENCES})
    assert not Preference.objects.filter(user=bob).exists()
    assert language_of(client.get(PREFERENCES)) == "en"
