"""Issue 13, point 4: `manage.py export_person EMAIL` prints, as JSON, everything held about an
address (GDPR article 15), and records the request in the audit trail by the address's hash."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from delivery.models import DeliveryRule, address_hash
from surveys.services import requester_opt_out

from .conftest import NOW
from .factories import ResponseFactory
from .people import person_with_everything

pytestmark = pytest.mark.django_db

ANN = "ann@example.org"
WHEN = NOW - timedelta(days=3)


@pytest.fixture
def ann(team, frozen, django_user_model):
    staff = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    return person_with_everything(ANN, team, when=WHEN, staff=staff)


def export(email: str = ANN) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("export_person", email, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_it_lists_everything_held(ann):
    data, _err = export("ANN@example.org")
    assert data["address"] == ANN
    [person] = data["requesters"]
    assert (person["email"], person["name"], person["department"]) == (
        ANN,
        "Ann Example",
        "Finance",
    )
    assert len(data["tickets"]) == 4
    statuses = sorted(row["status"] for row in data["invitations"])
    assert statuses == ["answered", "answered", "planned", "sent"]
    answers = {row["score"]: row for row in data["answers"]}
    assert answers[2]["comment"] == "Far too slow, Ann"
    assert answers[2]["reasons"] == ["speed"]
    assert answers[9]["comment"] == "Quick fix, thanks Ann"
    [case] = data["follow_up_cases"]
    assert (case["response_id"], case["status"]) == (answers[2]["id"], "contacted")
    assert data["follow_up_notes"][0]["text"] == f"Called {ANN}: printer fixed"
    assert data["customer_ratings"][0]["score"] == 4
    assert data["periodic_survey_answers"][0]["answer_1"] == "More self-service, please (Ann)"
    assert data["periodic_survey_invitations"][0]["answered"] is True
    assert data["sent_mail"][0]["to"] == ANN
    assert data["connector_deliveries"][0]["outcome"] == "accepted"
    assert data["admin_history"][0]["object_repr"] == ANN
    assert data["opt_outs"] == []
    assert "anonymous" in data["note"]


def test_times_are_iso_8601(ann):
    data, _err = export()
    assert data["answers"][0]["created_at"] == WHEN.isoformat().replace("+00:00", "Z")
    assert data["periodic_survey_answers"][0]["answered_on"] == WHEN.date().isoformat()


def test_opt_outs_and_exclusions_are_listed(ann, team):
    requester_opt_out(requester=ann.requester)
    DeliveryRule.objects.create(team=team, excluded_addresses=f"{ANN}\n@example.com")
    data, _err = export()
    assert data["opt_outs"] == [{"opted_out_at": NOW.isoformat().replace("+00:00", "Z")}]
    assert data["excluded_by_delivery_rules"] == ["Workplace"]


def test_unlinked_answers_and_other_people_are_not_listed(ann, team):
    ResponseFactory(invitation__ticket__team=team, comment="Someone else's")
    ResponseFactory(invitation=None, team=team, agent=None, comment="anonymous remark")
    data, _err = export()
    comments = {row["comment"] for row in data["answers"]}
    assert comments == {"Far too slow, Ann", "Quick fix, thanks Ann"}


def test_it_is_recorded_by_hash(ann):
    export()
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.PERSON_EXPORTED
    assert (event.target, event.actor_label) == (
        f"sha256:{address_hash(ANN)}",
        "manage.py export_person",
    )


def test_an_unknown_address_gets_empty_lists_and_a_line(db):
    data, err = export("nobody@example.org")
    assert data["requesters"] == [] and data["answers"] == []
    assert "Nothing is held about this address." in err


def test_a_bad_address_is_refused(db):
    with pytest.raises(CommandError, match="is not an e-mail address"):
        export("nobody")
