"""Staff pages show times in the signed-in user's own time zone (set on /me/preferences/)."""

import pytest
from django.utils import timezone

from accounts.models import Preference

from .conftest import NOW
from .factories import InvitationFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket_closed_now(frozen):
    return InvitationFactory(ticket=TicketFactory(closed_at=NOW)).ticket


def test_times_are_shown_in_the_users_preferred_zone(client, carol, ticket_closed_now):
    Preference.objects.create(user=carol, time_zone="Asia/Tokyo")
    client.force_login(carol)
    body = client.get("/staff/tickets/").content.decode()
    assert "25 Nov 2026 19:00" in body  # 10:00 UTC is 19:00 in Tokyo


def test_without_a_preference_the_organisation_zone_is_used(client, carol, ticket_closed_now):
    client.force_login(carol)
    body = client.get("/staff/tickets/").content.decode()
    assert "25 Nov 2026 11:00" in body  # Europe/Amsterdam


def test_one_users_zone_does_not_leak_into_the_next_request(client, carol, ticket_closed_now):
    Preference.objects.create(user=carol, time_zone="Asia/Tokyo")
    client.force_login(carol)
    client.get("/staff/tickets/")
    assert timezone.get_current_timezone_name() != "Asia/Tokyo"
    client.logout()
    assert client.get("/accounts/login/").status_code == 200
