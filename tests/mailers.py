"""A mail backend whose answers a test scripts, standing in for an SMTP connection."""

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend


class ScriptedBackend(BaseEmailBackend):
    """Each message takes the next entry of `script`: an exception to raise, or None to accept.

    Accepted messages go to mail.outbox as with the locmem backend; `opened` counts connections.
    """

    script: list = []
    opened = 0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        ScriptedBackend.opened += 1
        self.is_open = True
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, messages):
        for message in messages:
            outcome = ScriptedBackend.script.pop(0) if ScriptedBackend.script else None
            if outcome is not None:
                raise outcome
            mail.outbox.append(message)
        return len(messages)
