"""Chat alerts that render (issue 16, point 6): Slack gets Block Kit, Microsoft Teams Workflows an
Adaptive Card, anything else JSON; nothing a requester wrote pings or formats in the chat.

The shapes are the documented ones:
- Slack incoming webhooks with blocks: https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks/
  (header, section, actions/button: https://docs.slack.dev/reference/block-kit/blocks/), and the
  escaping of &, < and >: https://docs.slack.dev/messaging/formatting-message-text/#escaping
- Teams Workflows "post to a channel when a webhook request is received": the message envelope
  with one application/vnd.microsoft.card.adaptive attachment,
  https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook
  (the "Send Adaptive Cards using an Incoming Webhook" example), TextRun renders no Markdown:
  https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/text-run
"""

import json
from datetime import timedelta

import pytest

from followups import chat
from followups.alerts import case_webhook_post
from followups.models import FollowUpCase
from itpulse.settings import _chat_formats
from surveys.models import Invitation
from surveys.services import response_submit

from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TicketFactory
from .receiver import local_receiver  # noqa: F401 (the receiver fixture)

pytestmark = pytest.mark.django_db

HOSTILE = "<!channel> & <@U024BE7LH> *urgent* _now_ <at>Everyone</at> [x](https://evil.example)"
HEADING = "Score 2 from a requester of Workplace on zendesk:SD-42"
ESCAPED = (
    "&lt;!channel&gt; &amp; &lt;@U024BE7LH&gt; *urgent* _now_ &lt;at&gt;Everyone&lt;/at&gt; "
    "[x](https://evil.example)"
)


def detractor(team, django_capture_on_commit_callbacks, comment=HOSTILE, subject="VPN <down>"):
    invitation = InvitationFactory(
        ticket=TicketFactory(
            team=team,
            requester=RequesterFactory(email="ann@example.org"),
            external_id="SD-42",
            source="zendesk",
            subject=subject,
        ),
        status=Invitation.Status.SENT,
        sent_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=14),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = response_submit(invitation=invitation, score=2, comment=comment)
    return FollowUpCase.objects.get(response=response)


@pytest.fixture
def hooked(settings, team, receiver, frozen):
    settings.ITPULSE_BASE_URL = "https://pulse.example.org"
    settings.ITPULSE_TEAM_WEBHOOKS = {"workplace": receiver.url + "/hook"}
    return receiver


def test_slack_gets_block_kit_with_every_control_character_escaped(
    hooked, settings, team, django_capture_on_commit_callbacks
):
    settings.ITPULSE_CHAT_FORMAT = {"": "slack"}
    case = detractor(team, django_capture_on_commit_callbacks)
    [request] = hooked.requests
    assert request.method == "POST" and request.headers["Content-Type"] == "application/json"
    plain = {"type": "plain_text", "emoji": False}
    assert request.json() == {
        "text": "Score 2 from a requester of Workplace on zendesk:SD-42",
        "blocks": [
            {
                "type": "header",
                "text": {**plain, "text": "Score 2 from a requester of Workplace on zendesk:SD-42"},
            },
            {"type": "section", "text": {**plain, "text": "VPN &lt;down&gt;"}},
            {"type": "section", "text": {**plain, "text": ESCAPED}},
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {**plain, "text": "Follow up"},
                        "url": f"https://pulse.example.org/followups/{case.pk}/",
                        "action_id": "followup",
                    }
                ],
            },
        ],
    }
    # Nowhere in the body can Slack read a mention or a link of the requester's.
    assert "<" not in request.body.decode() and ">" not in request.body.decode()


def test_teams_gets_an_adaptive_card_with_the_comment_in_a_text_run(
    hooked, settings, team, django_capture_on_commit_callbacks
):
    settings.ITPULSE_CHAT_FORMAT = {"": "auto", "workplace": "teams"}
    case = detractor(team, django_capture_on_commit_callbacks)
    [request] = hooked.requests
    assert request.json() == {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {
                            "type": "RichTextBlock",
                            "inlines": [
                                {
                                    "type": "TextRun",
                                    "text": HEADING,
                                    "weight": "Bolder",
                                    "size": "Medium",
                                }
                            ],
                        },
                        {
                            "type": "RichTextBlock",
                            "inlines": [{"type": "TextRun", "text": "VPN <down>"}],
                        },
                        {
                            "type": "RichTextBlock",
                            "inlines": [{"type": "TextRun", "text": HOSTILE, "italic": True}],
                        },
                    ],
                    "actions": [
                        {
                            "type": "Action.OpenUrl",
                            "title": "Follow up",
                            "url": f"https://pulse.example.org/followups/{case.pk}/",
                        }
                    ],
                },
            }
        ],
    }
    # TextRun renders no Markdown, and without msteams.entities an <at> tag mentions nobody.
    assert "msteams" not in request.body.decode() and '"TextBlock"' not in request.body.decode()


def test_a_generic_target_gets_the_facts_as_json(hooked, team, django_capture_on_commit_callbacks):
    case = detractor(team, django_capture_on_commit_callbacks, comment="Took a week.")
    [request] = hooked.requests  # 127.0.0.1 is no chat host: auto means json
    assert request.json() == {
        "event": "followup.opened",
        "case": {"id": case.pk, "url": f"https://pulse.example.org/followups/{case.pk}/"},
        "team": {"slug": "workplace", "name": "Workplace"},
        "score": 2,
        "comment": "Took a week.",
        "ticket": {"source": "zendesk", "external_id": "SD-42", "subject": "VPN <down>"},
        "summary": "Score 2 from a requester of Workplace on zendesk:SD-42",
    }
    assert "ann@example.org" not in request.body.decode()  # no contact details in a channel


def test_a_team_turned_anonymous_posts_no_ticket(
    hooked, settings, team, django_capture_on_commit_callbacks
):
    settings.ITPULSE_TEAM_WEBHOOKS = {}
    case = detractor(team, django_capture_on_commit_callbacks)
    team.anonymous = True
    team.save()
    settings.ITPULSE_TEAM_WEBHOOKS = {"workplace": hooked.url + "/hook"}
    assert case_webhook_post(case_id=case.id)
    body = hooked.requests[0].json()
    assert body["ticket"] is None and body["summary"] == "Score 2 from a requester of Workplace"
    assert "SD-42" not in json.dumps(body) and "VPN" not in json.dumps(body)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://hooks.slack.com/services/T000/B000/XXXX", "slack"),
        (
            "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/"
            "invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=x",
            "teams",
        ),
        (
            "https://default1234.56.environment.api.powerplatform.com:443/powerautomate/"
            "automations/direct/workflows/abc/triggers/manual/paths/invoke?api-version=1",
            "teams",
        ),
        ("https://contoso.webhook.office.com/webhookb2/abc", "teams"),
        # Look-alikes are not Slack or Microsoft: a host ending in the name is not the host.
        ("https://hooks.slack.com.evil.example/services/x", "json"),
        ("https://evil-logic.azure.com.example/x", "json"),
        ("https://chat.example.org/hooks/abc", "json"),
    ],
)
def test_auto_tells_the_chat_by_its_host(url, expected):
    assert chat.chat_format({"": "auto"}, "workplace", url) == expected


def test_the_format_setting_takes_a_default_and_per_team_formats():
    assert _chat_formats("") == {"": "auto"}
    assert _chat_formats("teams, network=Slack") == {"": "teams", "network": "slack"}
    assert chat.chat_format(_chat_formats("json,network=slack"), "network", "https://x") == "slack"
    for wrong in ("discord", "=slack", "network=markdown"):
        with pytest.raises(Exception, match="ITPULSE_CHAT_FORMAT"):
            _chat_formats(wrong)
