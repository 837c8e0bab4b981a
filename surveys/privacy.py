"""The minimum-group rule, in one place.

Wherever results are shown for a group that could point at a person (an anonymous team or one
of its agents, IT's ratings of a department, a periodic survey), they are shown only when at
least `min_group()` distinct people stand behind them: one person who answered five times is
one person, not a group of five. Callers count people (never answers) and ask `group_shown`,
or `answers_shown` for an anonymous team's answers, whose people can only be counted around them.
"""

from django.conf import settings


def min_group() -> int:
    """The fewest distinct people a shown result may stand on (ITPULSE_MIN_GROUP, default 5)."""
    return settings.ITPULSE_MIN_GROUP


def group_shown(people: int) -> bool:
    """Whether results that `people` distinct persons gave may be shown."""
    return people >= min_group()


def answers_shown(*, people: int, answers: int) -> bool:
    """Whether an anonymous team's `answers` may be shown, `people` having been counted around
    them (scoring/people.py counts the team's answered surveys by the day they were sent: the
    answers themselves lead to no one). Answers can stand on fewer people than that count, as
    on a day when five were surveyed and one answered, but never on more people than there are
    answers: so both must reach the minimum."""
    return group_shown(min(people, answers))
