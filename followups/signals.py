"""What followups tells the apps above it (it imports none of them): each listens here.

Sent inside the transaction that writes what it reports, like surveys' signals, so that a
receiver's rows commit or roll back with it.
"""

from django.dispatch import Signal

# A follow-up case was opened for a detractor's answer. case, now.
case_opened = Signal()
