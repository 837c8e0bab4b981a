"""Django's SMTP backend, taught SMTPUTF8 (RFC 6531) for addresses with a non-ASCII local part.

An address such as chloé@example.org cannot be written in ASCII: its domain has an ASCII form
(IDNA), its local part has none. Django's backend refuses it ("Invalid address"). This one sends
it with SMTPUTF8 when the server offers that extension (EHLO), the message rendered with UTF-8
headers; otherwise it raises AddressNotDeliverable, which the engine records as a permanent
failure with that reason. Every other message goes exactly as Django sends it.
"""

import email.policy
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend

NEEDS_SMTPUTF8 = "non-ASCII local part: the mail server does not offer SMTPUTF8"


class AddressNotDeliverable(ValueError):
    """This server cannot take this address at all: no retry will help."""


def needs_smtputf8(address: str) -> bool:
    local = address.rpartition("<")[2].rstrip(">").rpartition("@")[0]
    return not local.isascii()


class EmailBackend(DjangoSMTPBackend):
    def _send(self, email_message: EmailMessage) -> bool:
        recipients = email_message.recipients()
        if not any(needs_smtputf8(a) for a in [email_message.from_email, *recipients]):
            # (django-stubs leave out the private _send that this class extends.)
            return bool(super()._send(email_message))  # type: ignore[misc]
        connection: Any = self.connection
        connection.ehlo_or_helo_if_needed()
        if not connection.has_extn("smtputf8"):
            raise AddressNotDeliverable(NEEDS_SMTPUTF8)
        from_email = self.prep_address(email_message.from_email, force_ascii=False)
        to = [self.prep_address(a, force_ascii=False) for a in recipients]
        # The class's own message(), not a faster compat32 rendering set on the instance
        # (delivery.mime): that one cannot write a UTF-8 address header.
        message = type(email_message).message(email_message, policy=email.policy.SMTPUTF8)
        connection.sendmail(from_email, to, message.as_bytes(), mail_options=["SMTPUTF8"])
        return True
