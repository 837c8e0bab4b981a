"""What surveys tells the apps above it. Surveys imports none of them: each listens here.

Every signal but `response_settled` is sent inside the transaction of the write it reports, so
a receiver's rows (the invitations delivery plans, the counts scoring keeps) commit or roll back
with it: nothing is lost between two transactions. Receivers connect in their app's
`AppConfig.ready()`.
"""

from django.dispatch import Signal

# Tickets were closed (one signal per call, however large the batch: bench/ingest.py).
# tickets: the tickets stored now, with requester, team and agent set and no invitation yet;
# the receiver that plans their surveys sets `ticket.invitation` (the API answers with it).
# reopened: invitations a reopen had cancelled, of tickets closed again now: locked, their
# ticket's closed_at the new close; the receiver plans them again from it (and sets their status).
# now: the time of the close.
tickets_closed = Signal()

# An answer was given or changed through a survey link, its reasons set: sent last in the
# answer's transaction, for what must commit with it (scoring's counts) and nothing slower.
# response, now, new (a first answer), old_score (None when new), answered (the invitation,
# when this answer made it "answered"; its count goes with the answer's).
response_recorded = Signal()

# After an answer's transaction committed: what follows from it without holding up the person
# who gave it (keyword tags and the follow-up case in followups, write-backs in integrations,
# webhooks). Sent by the task surveys.tasks.answer_follow_through, in a transaction of its own
# with the response's row locked; the task is retried on failure, so every receiver must be
# safe to run twice for one answer. response (as it is now), now (its updated_at), new.
response_settled = Signal()

# An invitation went back to sent (delta=-1), its answer deleted. (A first answer counts its
# invitation's move to "answered" through response_recorded's `answered`.)
invitation_answered = Signal()

# The demo loader wrote tickets, invitations and answers in bulk, past the services and the
# signals above: whatever is counted from them must be counted afresh.
bulk_loaded = Signal()
