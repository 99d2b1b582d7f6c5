"""Whether one field's value is a date, a moment, a BSN, or filled at all.

This module owns the value tests the rules share; they take a string and know no
columns, files or messages.
"""

import re
from datetime import date, datetime

_CIJFERS = re.compile(r"\d+", re.ASCII)
NEGEN_CIJFERS = re.compile(r"\d{9}", re.ASCII)


def is_filled(waarde: str) -> bool:
    return bool(waarde) and not waarde.isspace()


def is_date(waarde: str) -> bool:
    """``YYYYMMDD`` that names a day of the Gregorian calendar."""
    if len(waarde) != 8 or not _CIJFERS.fullmatch(waarde):
        return False
    try:
        date(int(waarde[:4]), int(waarde[4:6]), int(waarde[6:]))
    except ValueError:
        return False
    return True


def is_moment(waarde: str) -> bool:
    """``YYYYMMDDhhmmss`` that names a moment (no leap second)."""
    if len(waarde) != 14 or not _CIJFERS.fullmatch(waarde):
        return False
    delen = (waarde[:4], waarde[4:6], waarde[6:8], waarde[8:10], waarde[10:12], waarde[12:])
    try:
        datetime(*map(int, delen))
    except ValueError:
        return False
    return True


def bsn_valid(bsn: str) -> bool:
    """True when ``bsn`` is 9 digits that pass the 11-proef and are not all zero."""
    if not NEGEN_CIJFERS.fullmatch(bsn):
        return False
    b = bsn.encode()  # digit bytes are 48 + digit; the weights 9..2, -1 sum to 43
    som = 9 * b[0] + 8 * b[1] + 7 * b[2] + 6 * b[3] + 5 * b[4] + 4 * b[5] + 3 * b[6] + 2 * b[7]
    som -= b[8] + 48 * 43
    return som != 0 and som % 11 == 0
