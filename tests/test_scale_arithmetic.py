"""CSAT and CES arithmetic (scoring/csat.py, ces.py, proportion.py): known values worked out by
hand from the textbook formulas, the small-sample rules, and that nothing compares two scales
(issue 17, point 2). The NPS's own arithmetic is tests/test_nps.py."""

import math

import pytest

from scoring import ces, csat
from scoring.nps import Score, change
from scoring.proportion import share, share_margin
from scoring.scores import api_fields, histogram, score_of
from surveys.scales import CES, CSAT, NPS, scale_for


def test_the_three_scales_and_their_bands():
    assert (NPS.low, NPS.high, CSAT.low, CSAT.high, CES.low, CES.high) == (0, 10, 1, 5, 1, 7)
    assert [CSAT.category(s).name for s in CSAT.scores] == [
        "dissatisfied",
        "dissatisfied",
        "neutral",
        "satisfied",
        "satisfied",
    ]
    assert [CES.category(s).name for s in CES.scores] == [
        *["difficult"] * 3,
        "neutral",
        *["easy"] * 3,
    ]
    assert scale_for("service") is CSAT and scale_for("effort") is CES and scale_for("nps") is NPS
    with pytest.raises(ValueError, match=r"1\.\.5"):
        CSAT.category(0)


def test_csat_is_the_share_of_fours_and_fives():
    # 1, 2, 3 and 3, then six 4s and 5s: 6 of 10, never the 3s.
    score = csat.CsatScore.from_histogram([1, 1, 2, 3, 3])
    assert (score.satisfied, score.neutral, score.dissatisfied) == (6, 2, 2)
    assert score.csat == 60 and score.value == 60
    assert share(2, 3) == 67 and share(1, 8) == 13  # 12.5 rounds half away from zero


def test_the_csat_margin_is_the_adjusted_wald_interval():
    # 8 of 10: p~ = (8 + 1.96²/2) / (10 + 1.96²) = 9.9208 / 13.8416 = 0.71674;
    # 1.96 · √(0.71674 · 0.28326 / 13.8416) = 0.23737 → ±23.7 points (Agresti–Coull 47.9–95.4%).
    assert share_margin(8, 10) == pytest.approx(23.737, abs=0.01)
    assert csat.CsatScore(8, 1, 1).margin_of_error == 23.7
    # Five out of five agreeing is not certain: the plain Wald interval would say ±0.
    # p~ = 6.9208 / 8.8416 = 0.78276; 1.96 · √(0.78276 · 0.21724 / 8.8416) = 0.2718.
    assert share_margin(5, 5) == pytest.approx(27.18, abs=0.01)


def test_csat_small_samples():
    assert csat.CsatScore(4, 0, 0).csat is None and not csat.CsatScore(4, 0, 0).enough
    assert csat.CsatScore(5, 0, 0).csat == 100
    assert csat.CsatScore(20, 5, 4).uncertain and not csat.CsatScore(20, 5, 5).uncertain


def test_the_ces_mean_and_its_t_interval():
    # One answer of each score 1–7: mean 4, s = √(28/6) = 2.1602, t(6) = 2.447,
    # margin 2.447 · 2.1602 / √7 = 1.998.
    every = (1, 1, 1, 1, 1, 1, 1)
    assert ces.mean(every) == 4
    assert ces.mean_margin(every) == pytest.approx(1.998, abs=0.001)
    # Ten answers: five 7s and five 5s: mean 6, s = √(10/9) = 1.0541, t(9) = 2.262 → 0.754.
    score = ces.CesScore.from_histogram([0, 0, 0, 0, 5, 0, 5])
    assert score.mean == 6.0 and score.margin_of_error == 0.8
    assert score.noise() == pytest.approx(2.262 * math.sqrt(10 / 9) / math.sqrt(10), abs=1e-4)
    assert (score.easy, score.neutral, score.difficult) == (10, 0, 0)
    assert score.easy_share == 100


def test_the_ces_share_of_five_to_seven_and_its_margin():
    # 4s do not count as easy: 7 of 10 answered 5–7.
    score = ces.CesScore.from_histogram([1, 0, 1, 1, 2, 2, 3])
    assert (score.easy, score.neutral, score.difficult) == (7, 1, 2)
    assert score.easy_share == 70
    assert score.easy_share_margin == round(share_margin(7, 10), 1)
    assert score.mean == 5.1  # (1 + 3 + 4 + 10 + 12 + 21) / 10


def test_t_quantiles():
    assert ces.t_975(1) == 12.706 and ces.t_975(30) == 2.042
    # Past the table, within 0.001 of the published values.
    assert ces.t_975(40) == pytest.approx(2.021, abs=0.001)
    assert ces.t_975(120) == pytest.approx(1.980, abs=0.001)


def test_ces_needs_ten_answers():
    nine = ces.CesScore.from_histogram([0, 0, 0, 0, 0, 0, 9])
    assert nine.mean is None and nine.margin_of_error is None and not nine.enough
    ten = ces.CesScore.from_histogram([0, 0, 0, 0, 0, 0, 10])
    assert ten.mean == 7.0 and ten.uncertain


def test_a_change_is_judged_in_its_own_unit_and_never_across_scales():
    before = csat.CsatScore(20, 10, 10)  # 50%
    after = csat.CsatScore(36, 2, 2)  # 90%
    moved = change(after, before)
    assert moved is not None and moved.points == 40 and moved.real and moved.kind == "csat"
    assert change(Score(40, 0, 0), csat.CsatScore(40, 0, 0)) is None
    easy = ces.CesScore.from_histogram([0, 0, 0, 0, 5, 5, 5])
    hard = ces.CesScore.from_histogram([0, 0, 0, 0, 15, 0, 0])
    assert change(easy, hard).points == 1.0


def test_every_kind_gives_every_api_field():
    nps_fields = api_fields(score_of("nps", histogram("nps", [10, 9, 0, 7, 8])))
    csat_fields = api_fields(score_of("service", histogram("service", [5, 4, 4, 3, 1])))
    assert nps_fields.keys() == csat_fields.keys()
    assert nps_fields["nps"] == 20 and nps_fields["csat"] is None
    assert csat_fields["csat"] == 60 and csat_fields["nps"] is None
    assert csat_fields["scale"] == {"low": 1, "high": 5}
    assert csat_fields["question_type"] == "service"
