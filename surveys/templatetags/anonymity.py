"""{{ response|shown_ticket }}: the ticket reference a page or e-mail may show beside an answer.

Here, beside the rule it applies (surveys/anonymity.py), so that every app's templates load the
one filter instead of each app carrying a copy."""

from django import template

from surveys.anonymity import shown_ticket_ref

register = template.Library()


@register.filter
def shown_ticket(response) -> str:
    """The ticket id behind a response, or "" for an anonymous team (issue 6's rule)."""
    return shown_ticket_ref(response)
