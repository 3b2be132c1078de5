"""Input sanity bounds. These are not guideline numbers (those are policy data, R-SLT-1 etc.):
they only keep absurd input out of the database."""

from __future__ import annotations

from decimal import Decimal

QUANTITY_MAX = 10_000  # units of one Table 4 line (slides, minutes, pages, questions)
EFFORT_HOURS_MAX = 10_000
RESPONDENTS_MAX = 1_000_000
FEE_MAX = Decimal("9999999.99")  # max_digits=9, decimal_places=2
MAX_CLOS = 30
MAX_UNITS = 40
MAX_LINES_PER_UNIT = 30
MAX_COMPONENTS = 50
TEXT_MAX = 10_000  # characters in a free-text field of the application form
