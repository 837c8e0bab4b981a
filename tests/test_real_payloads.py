"""Each tool's own calls, as its documentation or source shows them, through a connector left on
the tool's preset (issue 16, point 1).

The calls live in integrations/samples/ (one module per tool, the same ones the "Send test
event" button sends); each module says what it copies from where:
- Jira Service Management: https://developer.atlassian.com/cloud/jira/platform/webhooks/ and the
  issue of https://developer.atlassian.com/cloud/jira/platform/rest/v2/api-group-issues/
- Zendesk: https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/,
  https://developer.zendesk.com/documentation/webhooks/verifying/, the placeholders of
  https://support.zendesk.com/hc/en-us/articles/4408886858138 (triggers) and
  https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events (deleted and
  merged tickets, from a webhook subscribed to Zendesk's events)
- GLPI 11: https://github.com/glpi-project/glpi/blob/11.0/bugfixes/src/Webhook.php and
  src/Glpi/Api/HL/Controller/ITILController.php (the API v2 ticket). GLPI 10.0 has no webhooks
  of its own: nothing documented by GLPI to feed (third-party plugins each send their own body).
- TOPdesk: https://docs.topdesk.com/en/composing-your-action-sequence.html and the incident
  API's fields (https://developers.topdesk.com/explorer/?page=incident, as recorded from a
  TOPdesk 10.08 in https://github.com/demisto/content/blob/master/Packs/TOPdesk/Integrations/TOPdesk/test_data/topdesk_incident.json).
  TOPdesk's reference of action-sequence placeholders was not found in the stored material.
- ServiceNow: https://developer.servicenow.com/dev.do#!/reference/api/latest/server/sn_ws-namespace/c_RESTMessageV2API
  (the guide's business rule; ServiceNow has no webhook body of its own).
- Freshservice: https://developers.freshworks.com/docs/app-sdk/v3.0/service_ticket/serverless-apps/product-events/onticket/
  for the ticket's fields; Freshservice's reference of workflow-webhook placeholders was not
  found in the stored material, so the body is the one our guide gives.
"""

from pathlib import Path

import pytest

from integrations.models import Delivery
from integrations.paths import as_text, resolve
from integrations.presets import PRESETS
from integrations.samples import SAMPLES, closing, encode
from integrations.services import connector_create
from surveys.models import Invitation, Ticket
from tests.conftest import NOW
from tests.factories import TeamFactory
from tests.hooks import NATIVE_TEAMS, post_hook

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent

# What each tool can tell, by its own means, of what happens to a ticket: the samples must keep
# showing each (a tool's sample dropped would let its preset drift unseen).
EVENTS = {
    "jira": {"closed", "reopened", "reassigned", "deleted"},  # Jira has no merge
    "zendesk": {"closed", "reopened", "reassigned", "merged", "deleted"},
    "glpi": {"closed", "reopened", "deleted"},  # no reassignment or merge event on a Ticket
    "topdesk": {"closed", "reopened", "reassigned", "deleted"},
    "servicenow": {"closed", "reopened", "reassigned", "deleted"},  # incidents do not merge
    "freshservice": {"closed", "reopened", "reassigned", "merged", "deleted"},
    "generic": {"closed", "reopened", "reassigned", "merged", "deleted"},
}
CASES = [
    pytest.param(kind, index, id=f"{kind}: {sample['name']}")
    for kind, samples in SAMPLES.items()
    for index, sample in enumerate(samples)
]


@pytest.fixture
def network(db):
    return TeamFactory(slug="network", name="Network")


def preset_connector(kind, team, network):
    """A connector as the guide's first step leaves it: the preset, a team mapping, no more."""
    team_map = {NATIVE_TEAMS[kind]: team.slug, "Network": network.slug, "Workplace": team.slug}
    if kind == "generic":
        team_map = {}
    return connector_create(
        name=kind, slug=kind, kind=kind, team_map=team_map, secret="s3cret-" + kind
    )


def team_of(connector, body) -> str:
    native = as_text(resolve(body, connector.mapping["team"]))
    return connector.team_map.get(native, native)


def send(client, connector, sample, **kwargs):
    return post_hook(client, connector, sample["body"], extra=sample["headers"], **kwargs)


def test_every_tool_has_its_samples():
    assert set(SAMPLES) == set(PRESETS) == set(EVENTS)
    for kind, samples in SAMPLES.items():
        assert samples[0]["event"] == "closed", kind  # closing() relies on it
        assert {sample["event"] for sample in samples} == EVENTS[kind], kind
        assert all(sample["source"] for sample in samples)


@pytest.mark.parametrize(("kind", "index"), CASES)
def test_each_documented_call_does_what_the_tool_meant(client, team, network, frozen, kind, index):
    connector = preset_connector(kind, team, network)
    sample = SAMPLES[kind][index]
    event = sample["event"]
    if event != "closed":  # every other event is about a ticket closed before
        first = send(client, connector, closing(kind))
        assert first.status_code == 201, first.content
    response = send(client, connector, sample)
    delivery = Delivery.objects.latest("id")
    assert (delivery.outcome, delivery.event) == ("accepted", event), delivery.reason
    invitation = Invitation.objects.select_related("team").get()
    if event == "closed":
        assert response.status_code == 201, response.content
        assert invitation.status == Invitation.Status.PLANNED
    elif event == "reassigned":
        assert response.json()["result"] == "changed"
        assert invitation.team.slug == team_of(connector, sample["body"])
        assert invitation.team.slug != team_of(connector, closing(kind)["body"])
    else:
        assert response.json()["result"] == "changed", response.content
        assert (invitation.status, invitation.reason) == ("suppressed", f"ticket {event}")
    assert Ticket.objects.count() == 1


def test_a_glpi_11_webhook_in_its_native_format_registers_the_ticket(client, team, network, frozen):
    """GLPI 11's default payload: {"item": <API v2 ticket>, "event": "update"}, the status an
    object, no solve date. It was answered 202 ignored (the rules read item.status)."""
    connector = preset_connector("glpi", team, network)
    sample = closing("glpi")
    assert sample["body"]["event"] == "update" and isinstance(
        sample["body"]["item"]["status"], dict
    )
    assert "solvedate" not in sample["body"]["item"]
    response = send(client, connector, sample)
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.select_related("requester").get()
    assert (ticket.external_id, ticket.requester.email) == ("1234", "ann@example.org")
    assert ticket.closed_at == NOW  # no solve date: dated when it arrives


def test_glpi_sends_logins_not_addresses_and_says_so_when_a_login_is_no_address(
    client, team, network, frozen
):
    connector = preset_connector("glpi", team, network)
    sample = closing("glpi")
    sample["body"]["item"]["team"][0]["name"] = "ann"  # a login that is not an e-mail address
    response = send(client, connector, sample)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "requester_email (item.team[role=requester].name)": ["Enter a valid e-mail address."]
    }
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("kind", ["topdesk", "servicenow", "freshservice"])
def test_a_tool_that_sends_fixed_headers_only_is_accepted_on_its_preset(
    client, team, network, frozen, kind
):
    """TOPdesk's action sequence (and the guides' ServiceNow rule and Freshservice workflow) can
    only send a fixed header: the preset must take the secret as a bearer token. TOPdesk's
    preset asked for a computed signature, so its default set-up answered 401."""
    connector = preset_connector(kind, team, network)
    sample = closing(kind)
    fixed = {**sample["headers"], "Authorization": f"Bearer {connector.secret}"}
    response = post_hook(client, connector, sample["body"], headers=fixed)
    assert response.status_code == 201, response.content
    assert Ticket.objects.count() == 1


def test_glpi_bodies_are_signed_as_glpi_prints_them(client, team, network, frozen):
    """GLPI signs the pretty-printed body it sends, slashes escaped (PHP's json_encode)."""
    body = encode("glpi", closing("glpi")["body"])
    assert b'\n    "item": {' in body and b"\\/front\\/user.form.php" in body
    connector = preset_connector("glpi", team, network)
    response = post_hook(client, connector, None, raw=body)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("kind", sorted(set(SAMPLES) - {"generic"}))
def test_each_guide_says_what_it_was_checked_against(kind):
    """docs/integrations/<tool>.md names the tool's version or pages it was checked against,
    with links, and the samples module the tests and the button use."""
    guide = (ROOT / "docs" / "integrations" / f"{kind}.md").read_text()
    head = guide.split("\n\n", 2)[1]  # the paragraph under the title
    assert head.startswith("*Checked against "), kind
    assert "https://" in head and f"integrations/samples/{kind}.py" in head, kind
