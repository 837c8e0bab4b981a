"""Delivery: when, whether and how a survey e-mail leaves, exactly once.

Rules (models.DeliveryRule, rules.py) decide at close time whether an invitation is planned or
suppressed and when it is due; the dispatcher (dispatch.py) claims due invitations in batches
and sends them on one SMTP connection, retrying temporary failures with backoff.
"""
