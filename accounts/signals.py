"""What accounts tells the apps above it (they import accounts; accounts imports none of them)."""

from django.dispatch import Signal

# The demo command loaded the demo organisation and made its logins (accounts/demo.py); each app
# above adds its own part through its own services, and adds it once (it runs on every call).
# now: the demo's present; lead: the demo's team lead (User), who works its follow-up cases.
demo_loaded = Signal()
