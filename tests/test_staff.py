import pytest
from django.core import mail

from surveys.models import CapturedEmail, Invitation, Ticket

from .access import is_no_role_page
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_staff_see_recent_tickets_with_survey_status(client, carol):
    inv = InvitationFactory(status=Invitation.Status.FAILED, reason="SMTP 550")
    client.force_login(carol)
    response = client.get("/staff/tickets/")
    assert response.status_code == 200
    assert inv.ticket.external_id.encode() in response.content
    assert b"SMTP 550" in response.content
    assert b"Resend survey" in response.content


@pytest.mark.parametrize("url", ["/staff/tickets/", "/staff/tickets/close/", "/staff/mail/"])
def test_visitors_are_sent_to_login_and_people_without_a_role_told_whom_to_ask(
    client, charlie, django_user_model, url
):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    staff_only = django_user_model.objects.create_user("stan", is_staff=True)
    for user in (charlie, staff_only):  # the staff flag alone opens nothing here
        client.force_login(user)
        assert is_no_role_page(client.get(url)), user


def test_staff_close_a_ticket_by_hand(
    client, carol, team, frozen, django_capture_on_commit_callbacks
):
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/tickets/close/",
            {
                "team": team.pk,
                "source": "manual",
                "external_id": "PHONE-1",
                "subject": "Call about VPN",
                "requester_email": "ann@example.org",
                "requester_language": "en",
                "closed_at": "2026-11-25 09:00",
            },
        )
    assert response.status_code == 302
    assert Ticket.objects.get().external_id == "PHONE-1"
    assert Invitation.objects.get().status == Invitation.Status.SENT
    assert len(mail.outbox) == 1


def test_closing_by_hand_reports_field_errors(client, carol, team):
    client.force_login(carol)
    response = client.post("/staff/tickets/close/", {"team": team.pk, "requester_email": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"external_id", "requester_email", "closed_at"}
    assert not Ticket.objects.exists()


def test_resend_is_post_only_and_only_for_failed(
    client, carol, frozen, django_capture_on_commit_callbacks
):
    failed = InvitationFactory(status=Invitation.Status.FAILED)
    sent = InvitationFactory(status=Invitation.Status.SENT)
    client.force_login(carol)
    assert client.get(f"/staff/invitations/{failed.pk}/resend/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/invitations/{failed.pk}/resend/")
        client.post(f"/staff/invitations/{sent.pk}/resend/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [failed.requester.email]


def test_captured_mail_page_shows_what_was_sent(client, carol, settings):
    settings.EMAIL_CAPTURED = True
    mail_row = CapturedEmail.objects.create(
        to="ann@example.org",
        subject="How did we do?",
        text="http://x/s/abc/?score=9",
        html="<p>hi</p>",
    )
    client.force_login(carol)
    assert b"How did we do?" in client.get("/staff/mail/").content
    detail = client.get(f"/staff/mail/{mail_row.pk}/")
    assert b"/s/abc/?score=9" in detail.content


def test_captured_mail_page_is_404_with_real_smtp(client, carol, settings):
    settings.EMAIL_CAPTURED = False
    client.force_login(carol)
    assert client.get("/staff/mail/").status_code == 404


def test_capturing_backend_stores_text_and_html(settings):
    from django.core.mail import EmailMultiAlternatives

    from surveys.mail import CapturingEmailBackend

    message = EmailMultiAlternatives("Subject", "text body", to=["a@example.org"])
    message.attach_alternative("<b>html</b>", "text/html")
    assert CapturingEmailBackend().send_messages([message]) == 1
    row = CapturedEmail.objects.get()
    assert (row.to, row.text, row.html) == ("a@example.org", "text body", "<b>html</b>")


def test_the_close_form_offers_now_in_a_form_the_browser_accepts(client, carol, team, frozen):
    """datetime-local inputs only show (and post) "YYYY-MM-DDTHH:MM"; anything else is blank."""
    client.force_login(carol)
    html = client.get("/staff/tickets/close/").content.decode()
    assert 'type="datetime-local" name="closed_at" value="2026-11-25T11:00"' in html  # Amsterdam
    response = client.post(
        "/staff/tickets/close/",
        {
            "team": team.pk,
            "source": "manual",
            "external_id": "PHONE-2",
            "requester_email": "ann@example.org",
            "requester_language": "en",
            "closed_at": "2026-11-25T11:00",
        },
    )
    assert response.status_code == 302
    assert Ticket.objects.get().closed_at.isoformat() == "2026-11-25T10:00:00+00:00"
