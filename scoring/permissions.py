"""Who may see which team. A team outside a user's reach is a 404, never a 403 that confirms it."""

from django.http import Http404

from surveys.models import Team


def teams_for_user(user):
    if not user.is_authenticated:
        return Team.objects.none()
    if user.has_perm("surveys.view_all_teams"):
        return Team.objects.all()
    return Team.objects.filter(leads=user)


def get_team_for_user(user, slug: str) -> Team:
    team = teams_for_user(user).filter(slug=slug).first()
    if team is None:
        raise Http404
    return team
