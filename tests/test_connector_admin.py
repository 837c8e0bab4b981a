import pytest
from django.core.exceptions import ValidationError

from integrations.models import Connector
from integrations.presets import PRESETS
from integrations.services import connector_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="password")
    client.force_login(admin)
    return client


def test_a_new_connector_starts_from_its_tools_preset(admin_client, team):
    response = admin_client.post(
        "/admin/integrations/connector/add/",
        {
            "name": "Our Zendesk",
            "slug": "zendesk",
            "kind": "zendesk",
            "source": "",
            "secret": "from-zendesk",
            "scheme": "",
            "timestamp_tolerance": "300",
            "mapping": "{}",
            "events": "[]",
            "team_map": '{"Service Desk": "workplace"}',
            "default_team": str(team.pk),
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content
    connector = Connector.objects.get()
    assert (connector.scheme, connector.source) == ("zendesk", "zendesk")
    assert connector.mapping == PRESETS["zendesk"]["mapping"]
    assert connector.events == PRESETS["zendesk"]["events"]
    assert connector.team_map == {"Service Desk": "workplace"}


def test_a_new_connector_gets_a_random_secret(admin_client):
    form = admin_client.get("/admin/integrations/connector/add/").content.decode()
    first = Connector().secret
    assert len(first) >= 40 and first != Connector().secret
    assert 'name="secret"' in form


@pytest.mark.parametrize("kind", sorted(PRESETS))
def test_every_preset_has_its_set_up_guide(kind):
    from pathlib import Path

    guide = Path(__file__).resolve().parents[1] / "docs" / "integrations" / f"{kind}.md"
    text = guide.read_text()
    assert "/api/v1/hooks/" in text and "Send test event" in text


@pytest.mark.parametrize(
    "fields",
    [
        {"events": [{"path": "ticket.status", "values": {"solved": "close"}}]},  # a typo
        {"events": {"path": "ticket.status"}},
        {"events": [{"default": "closed?"}]},
        {"mapping": ["external_id"]},
        {"team_map": {"Service Desk": 3}},
    ],
)
def test_a_connector_whose_rules_would_fail_every_call_is_refused(team, fields):
    # Before, such a connector saved fine and then answered 500 to every webhook call.
    with pytest.raises(ValidationError):
        connector_create(name="Zendesk", slug="zendesk", kind="zendesk", **fields)
    assert not Connector.objects.exists()
