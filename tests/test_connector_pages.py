import pytest

from integrations.models import Delivery
from integrations.samples import closing
from surveys.models import Ticket
from tests.hooks import connector_for, payload, post_hook

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kind", ["jira", "zendesk", "glpi", "topdesk", "servicenow", "freshservice", "generic"]
)
def test_send_test_event_runs_a_signed_sample_and_writes_no_ticket(
    client, carol, team, frozen, kind
):
    connector = connector_for(kind, team)
    client.force_login(carol)
    response = client.post(f"/settings/connectors/{kind}/test/", follow=True)
    page = response.content.decode()
    assert "Test event: the ticket would be registered for team workplace." in page
    delivery = Delivery.objects.get(connector=connector)
    assert (delivery.outcome, delivery.status_code) == ("test", 200)
    assert not Ticket.objects.exists()


def test_send_test_event_sends_the_tools_own_documented_call(client, carol, team, frozen):
    """Not a sample shaped by the connector's own paths (which proves nothing): the tool's call
    from integrations/samples/. A GLPI connector with the event rules of before (the status
    read as a number; GLPI 11 sends an object) is told that no rule matches GLPI's "update"."""
    connector = connector_for("glpi", team)
    connector.events = [rule for rule in connector.events if rule.get("path") != "item.status.id"]
    connector.save()
    client.force_login(carol)
    page = client.post("/settings/connectors/glpi/test/", follow=True).content.decode()
    assert "No event rule matches (the tool said &#x27;update&#x27;)" in page
    assert Delivery.objects.get().outcome == "ignored"


def test_send_test_event_sends_the_tools_own_headers(client, carol, team, frozen):
    connector = connector_for("jira", team)
    client.force_login(carol)
    client.post("/settings/connectors/jira/test/")
    delivery = Delivery.objects.get(connector=connector)
    identifier = closing("jira")["headers"]["X-Atlassian-Webhook-Identifier"]
    assert (delivery.outcome, delivery.delivery_id) == ("test", identifier)


def test_a_test_event_shows_why_it_fails(client, carol, team, frozen):
    connector = connector_for("zendesk", team)
    del connector.mapping["requester_email"]
    connector.save()
    client.force_login(carol)
    page = client.post(f"/settings/connectors/{connector.slug}/test/", follow=True).content.decode()
    assert "requester_email: This field is required." in page
    assert Delivery.objects.get().outcome == "refused"


def test_the_page_lists_the_last_deliveries_and_why(client, carol, team, frozen):
    connector = connector_for("zendesk", team)
    post_hook(client, connector, payload("zendesk"))
    post_hook(client, connector, payload("zendesk"), headers={})
    client.force_login(carol)
    page = client.get(f"/settings/connectors/{connector.slug}/").content.decode()
    assert "/api/v1/hooks/zendesk" in page
    assert "The X-Zendesk-Webhook-Signature header is missing." in page
    assert "accepted" in page and "refused" in page


def test_the_secret_is_never_on_the_page(client, carol, admin_client, team):
    """Shown once when it is made (tests/test_settings_connectors.py), never afterwards."""
    connector = connector_for("zendesk", team)
    client.force_login(carol)
    page = client.get("/settings/connectors/zendesk/")
    assert page.status_code == 200 and connector.secret not in page.content.decode()
    assert (
        connector.secret not in admin_client.get("/settings/connectors/zendesk/").content.decode()
    )


def test_outsiders_see_no_connector(client, alice, charlie, team):
    connector_for("generic", team)
    client.force_login(alice)  # the IT manager: a role, not this one
    assert client.get("/settings/connectors/generic/").status_code == 404
    assert client.post("/settings/connectors/generic/test/").status_code == 404
    client.force_login(charlie)  # no role
    assert client.get("/settings/connectors/generic/").status_code == 403
    assert client.post("/settings/connectors/generic/test/").status_code == 403
    assert not Delivery.objects.exists()


def test_the_list_links_each_connector(client, carol, team):
    connector_for("jira", team)
    client.force_login(carol)
    assert "/settings/connectors/jira/" in client.get("/settings/connectors/").content.decode()
