"""Periodic (relationship) surveys: a campaign to a fair random sample of requesters, with its own
question and up to three open questions, optionally anonymous.

Its invitations are a kind of the delivery engine (delivery/engine.py): claimed in batches, sent
on one connection, retried and reclaimed like every other outgoing message. The tables kept the
names they had under followups (db_table), where these models lived before issue 15.
"""
