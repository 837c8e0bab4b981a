import factory
from django.utils import timezone

from scoring import rollups
from surveys.models import Agent, Invitation, Requester, Response, Team, Ticket


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"agent{n}@example.org")
    name = factory.Sequence(lambda n: f"Agent {n}")


class RequesterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requester

    email = factory.Sequence(lambda n: f"requester{n}@example.org")
    name = factory.Sequence(lambda n: f"Requester {n}")
    language = "en"


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    source = "jira"
    external_id = factory.Sequence(lambda n: f"SD-{n}")
    subject = "Printer on floor 3"
    team = factory.SubFactory(TeamFactory)
    agent = factory.SubFactory(AgentFactory, team=factory.SelfAttribute("..team"))
    requester = factory.SubFactory(RequesterFactory)
    closed_at = factory.LazyFunction(timezone.now)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    ticket = factory.SubFactory(TicketFactory)
    requester = factory.SelfAttribute("ticket.requester")
    team = factory.SelfAttribute("ticket.team")
    agent = factory.SelfAttribute("ticket.agent")
    status = Invitation.Status.PLANNED
    send_after = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Made without the services: count it in the dashboard's rollups as invitation_send does.
        invitation = super()._create(model_class, *args, **kwargs)
        if invitation.sent_at is not None:
            rollups.invitation_sent(team_id=invitation.team_id, sent_at=invitation.sent_at)
        return invitation


def _of_ticket(answer, field: str) -> str:
    ticket = answer.invitation.ticket if answer.invitation is not None else None
    return getattr(ticket, field) if ticket is not None else ""


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    invitation = factory.SubFactory(
        InvitationFactory,
        status=Invitation.Status.ANSWERED,
        sent_at=factory.LazyFunction(timezone.now),
    )
    team = factory.SelfAttribute("invitation.team")
    agent = factory.SelfAttribute("invitation.agent")
    score = 9
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.SelfAttribute("created_at")
    # The answer's copy of its ticket's slice, as response_submit takes it.
    slice_category = factory.LazyAttribute(lambda o: _of_ticket(o, "category"))
    slice_priority = factory.LazyAttribute(lambda o: _of_ticket(o, "priority"))
    slice_channel = factory.LazyAttribute(lambda o: _of_ticket(o, "channel"))
    slice_department = factory.LazyAttribute(
        lambda o: (
            o.invitation.requester.department
            if o.invitation is not None and o.invitation.requester is not None
            else ""
        )
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Made without the services: count it in the dashboard's rollups as response_submit does.
        response = super()._create(model_class, *args, **kwargs)
        rollups.response_added(response)
        invitation = response.invitation
        if invitation is not None and invitation.status == Invitation.Status.ANSWERED:
            rollups.invitation_answered(invitation, 1)
        return response
