"""A team's target: its own aim for the headline of one question type's series, shown on its
chart and in its lead's digest ("target 40, now 32"). Held against the team's own past only:
nothing here compares or orders teams."""

from decimal import Decimal

from django.utils.formats import number_format

from surveys.models import Team

from .models import Target
from .scores import empty_histogram, score_of

# What a target may be, in the headline's unit: NPS −100…100, CSAT % 0…100, CES mean 1…7.
RANGES = {"nps": (-100, 100), "csat": (0, 100), "ces": (1, 7)}


def kind_of(question_type: str) -> str:
    """The score kind ("nps", "csat", "ces") a question type's answers are scored as."""
    return score_of(question_type, empty_histogram(question_type)).kind


def target_for(team: Team, question_type: str | None = None) -> Decimal | None:
    """The team's target for a series (its current question type's unless named), or None."""
    kind = question_type or team.question_type
    found = Target.objects.filter(team=team, question_type=kind).values_list("value", flat=True)
    return found.first()


def target_text(value: Decimal | None, question_type: str) -> str:
    """As the headline is written: "40", "85%", "5.5"."""
    if value is None:
        return ""
    kind = kind_of(question_type)
    places = 1 if kind == "ces" or value != value.to_integral_value() else 0
    text = number_format(value, places)
    return f"{text}%" if kind == "csat" else text


def target_set(*, team: Team, question_type: str, value: Decimal | None) -> bool:
    """Set (or with None remove) the team's target for a series; whether anything changed."""
    if value is None:
        deleted, _rows = Target.objects.filter(team=team, question_type=question_type).delete()
        return bool(deleted)
    if target_for(team, question_type) == value:
        return False
    Target.objects.update_or_create(
        team=team, question_type=question_type, defaults={"value": value}
    )
    return True
