"""Giving an answer in a test as the site does: response_submit, then the follow-through that a
worker runs once the answer has committed (surveys.tasks.answer_follow_through: tags, the
follow-up case, write-backs, webhooks). Inside a test's transaction nothing commits, so the
task is run here, as the worker would run it; its own after-commit work (a case's alert) stays
queued exactly as it did when the follow-through was part of the answer's transaction."""

from surveys.models import Invitation, Response
from surveys.services import response_submit
from surveys.tasks import answer_follow_through


def answer_and_follow(**kwargs) -> Response:
    invitation = kwargs["invitation"]
    first = Invitation.objects.get(pk=invitation.pk).status != Invitation.Status.ANSWERED
    response = response_submit(**kwargs)
    answer_follow_through(response.pk, first)
    return response
