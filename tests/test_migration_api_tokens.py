"""Issue 14: tokens made before scopes existed keep both scopes and get a year's expiry
(surveys 0009), so no helpdesk stops on upgrade and no token stays valid forever."""

from datetime import timedelta

import pytest
import time_machine

from .conftest import NOW
from .migrating import migrate, migrate_to_latest

BEFORE = [("surveys", "0008_unlink_anonymous_answers")]
AFTER = [("surveys", "0009_api_token_scopes_expiry")]


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_keep_both_scopes_and_expire_in_a_year():
    old = migrate(BEFORE)
    old.get_model("surveys", "ApiToken").objects.create(
        name="jira", token_hash="a" * 64, prefix="itp_abcd"
    )
    try:
        with time_machine.travel(NOW, tick=False):
            new = migrate(AFTER)
        token = new.get_model("surveys", "ApiToken").objects.get()
        assert token.scopes == ["tickets:write", "results:read"]
        assert token.expires_at == NOW + timedelta(days=365)
        assert (token.owner_id, token.revoked_at) == (None, None)
    finally:
        migrate_to_latest()
