from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .permissions import teams_for_user
from .selectors import overview

PERIODS = (30, 90)


@login_required
def dashboard(request):
    rows = overview(teams_for_user(request.user), PERIODS, timezone.localdate())
    return render(request, "scoring/dashboard.html", {"rows": rows, "periods": PERIODS})
