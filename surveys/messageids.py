"""The Message-ID of a survey e-mail, from which a bounce finds its invitation again.

A relay's delivery report (RFC 3464) returns the original message or its headers, so the
Message-ID we set comes back with it: `<itpulse.s123.<tag>@host>` for invitation 123's survey,
`r` for its reminder. Nothing personal is in it (the row id, never the address), and the tag, an
HMAC of the rest under SECRET_KEY, means a report cannot be forged for an invitation its sender
never received. The host part is ignored when reading it back: a renamed server still matches.
"""

import re

from django.conf import settings
from django.core.mail.utils import DNS_NAME
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "itpulse.surveys.messageids"
SURVEY, REMINDER = "s", "r"
_LOCAL = re.compile(r"<?itpulse\.([sr])([1-9][0-9]{0,18})\.([0-9a-f]{16})@", re.IGNORECASE)


def _tag(kind: str, invitation_id: int, secret: str) -> str:
    return salted_hmac(
        SALT, f"{kind}{invitation_id}", secret=secret, algorithm="sha256"
    ).hexdigest()[:16]


def invitation_message_id(invitation_id: int, *, reminder: bool = False) -> str:
    kind = REMINDER if reminder else SURVEY
    tag = _tag(kind, invitation_id, settings.SECRET_KEY)
    return f"<itpulse.{kind}{invitation_id}.{tag}@{DNS_NAME}>"


def invitation_id_from(message_id: str) -> int | None:
    """The invitation a Message-ID of ours names, or None (someone else's, or a forged tag).

    Accepts the tag under SECRET_KEY and every SECRET_KEY_FALLBACKS, so that a key rotated
    while reports were under way still matches them.
    """
    found = _LOCAL.search(message_id.strip())
    if found is None:
        return None
    kind, number, tag = found.group(1).lower(), int(found.group(2)), found.group(3).lower()
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if any(constant_time_compare(tag, _tag(kind, number, secret)) for secret in secrets):
        return number
    return None
