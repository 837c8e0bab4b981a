"""Staff delivery page: counts per status and day, failures and suppressions with reasons."""

import pytest
from django.core import mail

from delivery.models import Bounce
from surveys.models import Invitation

from .access import is_no_role_page
from .conftest import NOW
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_staff_see_counts_failures_and_suppressions(client, carol, frozen):
    InvitationFactory.create_batch(2, status=Invitation.Status.SENT)
    failed = InvitationFactory(status="failed", reason="550 5.1.1 no such user", attempts=1)
    InvitationFactory(status="suppressed", reason="throttled")
    client.force_login(carol)
    response = client.get("/staff/delivery/")
    assert response.status_code == 200
    today = response.context["table"][0]
    statuses = [value for value, _label in Invitation.Status.choices]
    assert today["counts"][statuses.index("sent")] == 2
    assert today["counts"][statuses.index("failed")] == 1 and today["total"] == 4
    html = response.content.decode()
    assert "550 5.1.1 no such user" in html and "throttled" in html
    assert f"/staff/delivery/{failed.pk}/resend/" in html


def test_a_failed_survey_can_be_resent_from_the_page(client, carol, frozen):
    failed = InvitationFactory(status="failed", reason="gave up", attempts=5)
    client.force_login(carol)
    with_callbacks = client.post(f"/staff/delivery/{failed.pk}/resend/")
    assert with_callbacks.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Invitation.Status.PLANNED and failed.attempts == 0


def test_resend_needs_a_post(client, carol):
    failed = InvitationFactory(status="failed")
    client.force_login(carol)
    assert client.get(f"/staff/delivery/{failed.pk}/resend/").status_code == 405


@pytest.mark.parametrize("actor", ["alice", "bob", "charlie"])
def test_only_who_runs_delivery_sees_it(client, actor, request):
    client.force_login(request.getfixturevalue(actor))
    page = client.get("/staff/delivery/")
    # An IT manager or team lead has a role, but not this one; the outsider has none.
    assert is_no_role_page(page) if actor == "charlie" else page.status_code == 404
    failed = InvitationFactory(status="failed")
    client.post(f"/staff/delivery/{failed.pk}/resend/")
    assert Invitation.objects.get(pk=failed.pk).status == "failed"
    assert mail.outbox == []


def test_staff_see_the_relays_bounces(client, carol, frozen):
    hard = InvitationFactory(status="failed", reason="bounced: relay: 5.1.1 unknown user")
    soft = InvitationFactory(status="sent")
    for inv, status, is_hard, key in ((hard, "5.1.1", True, "a"), (soft, "4.2.2", False, "b")):
        Bounce.objects.create(
            invitation=inv,
            report_key=key,
            action="failed",
            status=status,
            is_hard=is_hard,
            diagnostic=f"smtp; {status} said the relay",
            received_at=NOW,
        )
    client.force_login(carol)
    response = client.get("/staff/delivery/")
    assert response.context["bounce_counts"] == {"hard": 1, "soft": 1}
    html = response.content.decode()
    assert "5.1.1 said the relay" in html and "4.2.2 said the relay" in html
    assert str(hard.ticket) in html and str(soft.ticket) in html
