"""What surveys tells the apps above it. Surveys imports none of them: each listens here.

Every signal is sent inside the transaction of the write it reports, so a receiver's rows
(the invitations delivery plans, the counts scoring keeps, the case followups opens) commit
or roll back with it: nothing is lost between two transactions. Receivers connect in their
app's `AppConfig.ready()`.
"""

from django.dispatch import Signal

# Tickets were closed (one signal per call, however large the batch: bench/ingest.py).
# tickets: the tickets stored now, with requester, team and agent set and no invitation yet;
# the receiver that plans their surveys sets `ticket.invitation` (the API answers with it).
# reopened: invitations a reopen had cancelled, of tickets closed again now: locked, their
# ticket's closed_at the new close; the receiver plans them again from it (and sets their status).
# now: the time of the close.
tickets_closed = Signal()

# An answer was given or changed through a survey link, its reasons set.
# response, now, new (a first answer), old_score (None when new).
response_recorded = Signal()

# An invitation became answered (delta=1) or, its answer deleted, went back to sent (delta=-1).
invitation_answered = Signal()

# The demo loader wrote tickets, invitations and answers in bulk, past the services and the
# signals above: whatever is counted from them must be counted afresh.
bulk_loaded = Signal()
