"""What a chat alert looks like in each chat tool, and which tool a webhook address belongs to.

The same alert goes out in one of three shapes (`ITPULSE_CHAT_FORMAT`, default `auto`):

- `slack`: Block Kit (https://docs.slack.dev/block-kit/), for Slack's incoming webhooks.
  Slack parses `&`, `<` and `>` as control characters in every text object
  (https://docs.slack.dev/messaging/formatting-message-text/#escaping), so `<!channel>` or
  `<@U123>` in a comment would ping: all three are escaped everywhere, and what the requester or
  the helpdesk wrote goes in `plain_text` objects only, so that `*`, `_` or `~` stay characters.
- `teams`: an Adaptive Card in the envelope Microsoft Teams' Workflows webhooks ("post to a
  channel when a webhook request is received") take: `{"type": "message", "attachments":
  [{"contentType": "application/vnd.microsoft.card.adaptive", "content": <card>}]}`
  (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook).
  Outside text goes in `TextRun`s, which render no Markdown
  (https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/text-run), and the card has
  no `msteams.entities`, without which `<at>…</at>` mentions nobody.
- `json`: the facts as data, for a receiver of one's own (it escapes for whatever it shows).

`auto` picks by the webhook's host: Slack's and Microsoft's own webhook hosts are known; any
other host gets `json`, which has no `text` field, so a Slack-compatible chat server (Mattermost,
Rocket.Chat) refuses it visibly instead of rendering unescaped text: set its format explicitly.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

SLACK, TEAMS, JSON, AUTO = "slack", "teams", "json", "auto"
FORMATS = (AUTO, SLACK, TEAMS, JSON)

# Hosts whose webhooks take one shape only. Teams Workflows URLs are Power Automate triggers
# (logic.azure.com, and since 2025 environment.api.powerplatform.com); *.webhook.office.com are
# the retired Office 365 connectors, which took the same Adaptive Card envelope.
_SLACK_HOSTS = ("hooks.slack.com", "hooks.slack-gov.com")
_TEAMS_SUFFIXES = (".logic.azure.com", ".api.powerplatform.com", ".webhook.office.com")
_TEAMS_HOSTS = ("api.powerautomate.com", "api.powerplatform.com", "flow.microsoft.com")

# Slack's limits: a header's text 150 characters, a section's 3,000.
_HEADER_MAX, _SECTION_MAX = 150, 3000


def detect(url: str) -> str:
    """The format a webhook address's host calls for, json when it is not a known host."""
    host = (urlsplit(url).hostname or "").lower()
    if host in _SLACK_HOSTS:
        return SLACK
    if host in _TEAMS_HOSTS or host.endswith(_TEAMS_SUFFIXES):
        return TEAMS
    return JSON


def chat_format(configured: dict[str, str], team_slug: str, url: str) -> str:
    """The team's format from ITPULSE_CHAT_FORMAT (the team's own, else the default), `auto`
    resolved from the address."""
    chosen = configured.get(team_slug) or configured.get("", AUTO)
    return detect(url) if chosen == AUTO else chosen


@dataclass(frozen=True)
class ChatAlert:
    """One detractor alert, as any chat shows it. `ticket` and `subject` are empty when they
    would identify the requester (an anonymous team)."""

    case_id: int
    case_url: str
    team_slug: str
    team_name: str
    score: int
    heading: str  # "Score 2 from a requester of Workplace on SD-42", in the organisation's language
    ticket_source: str
    ticket: str
    subject: str
    comment: str
    follow_up: str  # the button's label


def slack_escape(text: str) -> str:
    """Slack's three control characters as entities (and nothing else, as Slack asks)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str, limit: int = _SECTION_MAX) -> dict[str, Any]:
    return {"type": "plain_text", "text": slack_escape(text)[:limit], "emoji": False}


def slack_payload(alert: ChatAlert) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [{"type": "header", "text": _plain(alert.heading, _HEADER_MAX)}]
    if alert.subject:
        blocks.append({"type": "section", "text": _plain(alert.subject)})
    if alert.comment:
        blocks.append({"type": "section", "text": _plain(alert.comment)})
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": _plain(alert.follow_up, 75),
                    "url": alert.case_url,
                    "action_id": "followup",
                }
            ],
        }
    )
    # `text` is what notifications and screen readers show; with blocks it is not displayed.
    return {"text": slack_escape(alert.heading), "blocks": blocks}


def _runs(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def teams_payload(alert: ChatAlert) -> dict[str, Any]:
    body: list[dict[str, Any]] = [_runs(alert.heading, weight="Bolder", size="Medium")]
    if alert.subject:
        body.append(_runs(alert.subject))
    if alert.comment:
        body.append(_runs(alert.comment, italic=True))
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": alert.follow_up, "url": alert.case_url}],
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def json_payload(alert: ChatAlert) -> dict[str, Any]:
    return {
        "event": "followup.opened",
        "case": {"id": alert.case_id, "url": alert.case_url},
        "team": {"slug": alert.team_slug, "name": alert.team_name},
        "score": alert.score,
        "comment": alert.comment,
        "ticket": (
            {"source": alert.ticket_source, "external_id": alert.ticket, "subject": alert.subject}
            if alert.ticket
            else None
        ),
        "summary": alert.heading,
    }


PAYLOADS = {SLACK: slack_payload, TEAMS: teams_payload, JSON: json_payload}


def payload(alert: ChatAlert, chosen: str) -> dict[str, Any]:
    return PAYLOADS[chosen](alert)
