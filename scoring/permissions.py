"""Who may see what. Anything outside a user's reach is a 404, never a 403 that confirms it.

Roles: an IT manager (permission surveys.view_all_teams) sees every team; a team lead sees the
teams they lead; an agent (an Agent row linked to the user through Agent.user) sees the feedback
on their own tickets; an administrator configures through the admin site. Per-agent scores are
visible only to that agent, the leads of the agent's team and IT managers.
"""

from django.db.models import Q
from django.http import Http404

from surveys.models import Agent, Team


def is_it_manager(user) -> bool:
    return user.is_authenticated and user.has_perm("surveys.view_all_teams")


def teams_for_user(user):
    if not user.is_authenticated:
        return Team.objects.none()
    if is_it_manager(user):
        return Team.objects.all()
    return Team.objects.filter(leads=user)


def get_team_for_user(user, slug: str) -> Team:
    team = teams_for_user(user).filter(slug=slug).first()
    if team is None:
        raise Http404
    return team


def agent_for_user(user) -> Agent | None:
    """The agent this user is (linked by an administrator through Agent.user), if any."""
    if not user.is_authenticated:
        return None
    return Agent.objects.select_related("team").filter(user=user).first()


def agents_for_user(user):
    """Agents whose personal scores this user may see: their own, their teams', or all."""
    if not user.is_authenticated:
        return Agent.objects.none()
    if is_it_manager(user):
        return Agent.objects.all()
    return Agent.objects.filter(Q(user=user) | Q(team__leads=user)).distinct()


def get_agent_for_user(user, pk: int) -> Agent:
    agent = agents_for_user(user).select_related("team").filter(pk=pk).first()
    if agent is None:
        raise Http404
    return agent
