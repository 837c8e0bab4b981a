"""A share of answers with its 95% margin. Pure: no Django, no database.

The adjusted-Wald (Agresti–Coull) interval: add z²/2 successes and z²/2 failures before taking
the Wald half-width. Unlike the plain Wald interval it does not collapse to ±0 when five people
out of five agree, and its coverage stays near 95% down to the small samples one team sees in a
month. CSAT's share of 4–5 and CES's share of 5–7 both use it.
"""

import math

Z_95 = 1.96


def round_half_away(x: float) -> int:
    return math.floor(abs(x) + 0.5) * (1 if x >= 0 else -1)


def share(hits: int, n: int) -> int | None:
    """hits out of n as a whole percentage (half away from zero, as the NPS)."""
    return None if n == 0 else round_half_away(100 * hits / n)


def share_margin(hits: int, n: int) -> float | None:
    """95% margin of hits / n, in percentage points (adjusted Wald)."""
    if n == 0:
        return None
    n_adj = n + Z_95**2
    p = (hits + Z_95**2 / 2) / n_adj
    return 100 * Z_95 * math.sqrt(p * (1 - p) / n_adj)
