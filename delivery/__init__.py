"""Delivery: when, whether and how a survey e-mail leaves, exactly once.

Rules (models.DeliveryRule, rules.py) decide at close time whether an invitation is planned or
suppressed and when it is due. The engine (engine.py) sends every kind of outgoing message the
same way: claimed in batches, one SMTP connection per batch, temporary failures retried with
backoff, rows of dead workers reclaimed; dispatch.py is the survey invitations' kind.
"""
