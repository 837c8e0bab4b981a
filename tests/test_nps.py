import math

import pytest

from scoring import nps


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "detractor"),
        (6, "detractor"),
        (7, "passive"),
        (8, "passive"),
        (9, "promoter"),
        (10, "promoter"),
    ],
)
def test_category_boundaries(score, expected):
    assert nps.category(score) == expected


@pytest.mark.parametrize("score", [-1, 11])
def test_category_rejects_out_of_range(score):
    with pytest.raises(ValueError, match=r"0\.\.10"):
        nps.category(score)


def test_nps_is_promoters_minus_detractors_in_percent():
    assert nps.nps(promoters=6, passives=2, detractors=2) == 40
    assert nps.nps(0, 0, 5) == -100
    assert nps.nps(5, 0, 0) == 100


def test_nps_rounds_half_away_from_zero():
    assert nps.nps(1, 6, 1) == 0
    assert nps.nps(3, 4, 1) == 25
    assert nps.nps(1, 6, 0) == 14  # 14.29
    assert nps.nps(1, 0, 7) == -75
    assert nps.nps(1, 6, 9) == -50
    assert nps.nps(3, 2, 3) == 0
    assert nps.nps(1, 198, 0) == 1  # 0.5 -> 1, not banker's 0
    assert nps.nps(0, 198, 1) == -1


def test_nps_of_nothing_is_none():
    assert nps.nps(0, 0, 0) is None
    assert nps.margin_of_error(0, 0, 0) is None


def test_margin_uses_adjusted_wald():
    # n=10: p=(6.75/13), d=(2.75/13)
    p, d = 6.75 / 13, 2.75 / 13
    expected = 1.96 * 100 * math.sqrt((p + d - (p - d) ** 2) / 13)
    assert nps.margin_of_error(6, 2, 2) == pytest.approx(expected)
    assert nps.margin_of_error(6, 2, 2) == pytest.approx(43.36, abs=0.01)


def test_margin_is_not_zero_when_everybody_agrees():
    assert nps.margin_of_error(5, 0, 0) > 10


def test_margin_shrinks_with_more_responses():
    assert nps.margin_of_error(60, 20, 20) < nps.margin_of_error(6, 2, 2)


def test_score_hides_small_samples():
    small = nps.Score(promoters=3, passives=1, detractors=0)
    assert small.responses == 4
    assert small.nps is None and small.margin_of_error is None and not small.enough
    assert nps.Score(4, 1, 0).nps == 80


def test_score_marks_uncertain_below_thirty():
    assert nps.Score(10, 10, 9).uncertain
    assert not nps.Score(10, 10, 10).uncertain


def test_response_rate():
    assert nps.response_rate(0, 0) is None
    assert nps.response_rate(1, 4) == 0.25


def test_a_change_counts_only_beyond_the_combined_margins():
    from scoring.nps import Score, change

    assert change(Score(40, 0, 0), Score(0, 0, 40)).real
    small = change(Score(6, 0, 4), Score(5, 0, 5))
    assert small.points == 20 and not small.real
    assert change(Score(4, 0, 0), Score(40, 0, 0)) is None  # too few to say anything
