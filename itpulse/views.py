from django.shortcuts import redirect


def home(request):
    """Send each person to the page they came for."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_staff and not request.user.has_perm("surveys.view_all_teams"):
        return redirect("ticket-list")
    return redirect("dashboard")
