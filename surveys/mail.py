"""E-mail backend for the embedded default: keep messages where staff can read them."""

from django.core.mail.backends.base import BaseEmailBackend

from .models import CapturedEmail


class CapturingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            html = next(
                (
                    body
                    for body, mime in getattr(message, "alternatives", [])
                    if mime == "text/html"
                ),
                "",
            )
            CapturedEmail.objects.create(
                to=", ".join(message.to), subject=message.subject, text=message.body, html=html
            )
        return len(email_messages)
