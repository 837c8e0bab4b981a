"""The survey e-mail as MIME bytes, built with the standard library's compat32 classes.

Django 6.1's EmailMessage.message() builds with the modern email API (header registry,
content manager); for a survey e-mail that measured about four times slower than the classic
`email.mime` classes, and was the largest single cost of sending one (bench/delivery.py). The
SMTP path therefore renders the same message (subject, addresses, extra headers such as
List-Unsubscribe, a text part and an HTML alternative, quoted-printable UTF-8) the classic way.
Other backends (the tests' outbox, the embedded default's Sent mail) get Django's own.
"""

from email.charset import QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME

UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP
# No folding of long headers (a List-Unsubscribe URL stays on one line), and CRLF line ends:
# smtplib sends bytes as they are.
POLICY = compat32.clone(max_line_length=998, linesep="\r\n")


def _text(body: str, subtype: str) -> MIMEText:
    # typeshed says the charset is a name, but MIMEText takes a Charset too (set_payload does):
    # that is how the body gets quoted-printable rather than base64.
    return MIMEText(body, subtype, UTF8_QP, policy=POLICY)  # type: ignore[arg-type]


def _address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8")


def _header(value: str) -> Any:  # str or Header: typeshed's Message takes only str
    return value if value.isascii() else Header(value, "utf-8")


def classic_message(email: EmailMultiAlternatives) -> MIMEMultipart:
    message = MIMEMultipart("alternative", policy=POLICY)
    message["Subject"] = _header(str(email.subject))
    message["From"] = _address(email.from_email)
    message["To"] = ", ".join(_address(to) for to in email.to)
    message["Date"] = formatdate()
    if "message-id" not in {name.lower() for name in email.extra_headers}:
        message["Message-ID"] = make_msgid(domain=str(DNS_NAME))
    for name, value in email.extra_headers.items():
        message[name] = _header(str(value))
    message.attach(_text(str(email.body), "plain"))
    for content, mimetype in email.alternatives:
        if not isinstance(content, str):  # ours are HTML bodies; a message object is not
            raise TypeError(f"Only text alternatives are rendered classically, not {mimetype}.")
        message.attach(_text(content, mimetype.partition("/")[2]))
    return message


def use_classic_mime(email: EmailMultiAlternatives) -> EmailMultiAlternatives:
    """Make the SMTP backend render `email` the classic way (it calls email.message())."""
    if email.attachments or email.cc or email.bcc or email.reply_to:
        return email  # not a survey e-mail's shape: keep Django's rendering

    def message(*args: object, **kwargs: object) -> MIMEMultipart:
        return classic_message(email)

    # Replacing the bound method on this one message is the point (mypy forbids it in general).
    email.message = message  # type: ignore[method-assign, assignment]
    return email
