"""Any signed JSON a tool may send gets a 2xx or a 4xx with reasons from the webhook, never a
500: schemathesis cannot sign its requests, so this does it for the payloads it would send."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.models import Delivery
from tests.hooks import connector_for, payload, post_hook

pytestmark = pytest.mark.django_db
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)


def mutations(kind: str):
    """The tool's own payload with one value anywhere replaced by something arbitrary."""

    def mutate(value, path, replacement):
        if not path:
            return replacement
        key, rest = path[0], path[1:]
        value = dict(value) if isinstance(value, dict) else list(value)
        value[key] = mutate(value[key], rest, replacement)
        return value

    def paths(value, prefix=()):
        yield prefix
        items = (
            value.items()
            if isinstance(value, dict)
            else enumerate(value)
            if isinstance(value, list)
            else []
        )
        for key, sub in items:
            yield from paths(sub, (*prefix, key))

    base = payload(kind)
    return st.tuples(st.sampled_from(list(paths(base))), JSON).map(
        lambda pair: mutate(base, pair[0], pair[1])
    )


@pytest.mark.parametrize("kind", ["jira", "zendesk", "glpi", "generic"])
def test_signed_arbitrary_payloads_never_get_a_500(client, team, frozen, kind):
    connector = connector_for(kind, team)

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=mutations(kind) | JSON)
    def check(data):
        response = post_hook(client, connector, data)
        assert response.status_code in (200, 201, 202, 400), response.content
        json.loads(response.content)

    check()
    assert Delivery.objects.filter(status_code=500).count() == 0
