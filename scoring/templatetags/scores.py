"""A score written the way its scale reads: an NPS as a whole number (32 ± 9), a CSAT as a
percentage (78% ± 12), a CES mean with one decimal in the reader's language (5,4 ± 0,3)."""

from django import template
from django.utils.formats import number_format

from surveys.questions import band_labels, measure_label

register = template.Library()


@register.filter
def score_value(score) -> str:
    value = score.value
    if value is None:
        return "—"
    if score.kind == "ces":
        return number_format(value, 1)
    if score.kind == "csat":
        return f"{value}%"
    return str(value)


@register.filter
def score_margin(score) -> str:
    margin = score.margin_of_error
    if margin is None:
        return ""
    return f"± {number_format(margin, 1 if score.kind == 'ces' else 0)}"


@register.filter
def score_text(score) -> str:
    """Value and margin together, or a dash below the scale's minimum."""
    return f"{score_value(score)} {score_margin(score)}" if score.enough else "—"


@register.filter
def band_counts(score) -> str:
    """The good / middle / bad band's counts ("12 / 3 / 1")."""
    return " / ".join(str(count) for count in score.bands)


@register.filter
def bands_label(score) -> str:
    """Their names, in the same order ("promoters / passives / detractors")."""
    return " / ".join(band_labels(score.question_type))


@register.filter
def measure(score) -> str:
    """The headline figure's name ("NPS", "CSAT (% 4–5)", "CES (mean, 1–7)")."""
    return measure_label(score.question_type)


@register.filter
def change_points(change) -> str:
    points = number_format(change.points, 1) if change.kind == "ces" else str(change.points)
    return f"+{points}" if change.points > 0 else points
