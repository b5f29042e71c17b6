"""Check Chinese resident ID numbers and mobile phone numbers, and mask them."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_PATTERN = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_check_char(first17: str) -> str:
    """Return the GB 11643-1999 check character for the first 17 digits of an ID.

    Parameters
    ----------
    first17
        The first 17 digits of an 18-digit resident ID number.

    Returns
    -------
    str
        One of ``0123456789X``.
    """
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def id_number_problem(value: str) -> str | None:
    """Say what is wrong with an 18-digit ID number, or return None when it is valid.

    Parameters
    ----------
    value
        The ID number as written (a trailing lower-case ``x`` is accepted).

    Returns
    -------
    str or None
        ``"format"`` when it is not 17 digits plus a digit or X, ``"check"`` when the
        check character is wrong, else None.
    """
    v = value.strip().upper()
    if not _ID_PATTERN.match(v):
        return "format"
    if id_check_char(v[:17]) != v[17]:
        return "check"
    return None


def phone_is_valid(value: str) -> bool:
    """Return whether `value` is a mainland mobile (11 digits, 1[3-9]) or landline."""
    v = value.strip().replace(" ", "")
    return bool(_MOBILE_PATTERN.match(v) or _LANDLINE_PATTERN.match(v))


def mask_id_number(value: str) -> str:
    """Mask an ID number, keeping the first 6 and last 4 characters."""
    v = value.strip()
    if len(v) <= 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_phone(value: str) -> str:
    """Mask a phone number, keeping the first 3 and last 4 digits."""
    v = value.strip()
    if len(v) <= 7:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


def id_number_problems(values: pd.Series) -> np.ndarray:
    """Say, for many ID numbers at once, what is wrong with each (vectorised).

    Parameters
    ----------
    values
        ID numbers as written (upper-cased here; empty cells are skipped).

    Returns
    -------
    numpy.ndarray
        One string per value: ``""`` when valid or empty, ``"format"`` when it is not
        17 digits plus a digit or X or its birth date does not exist, ``"check"`` when
        the check character is wrong — the same verdicts as :func:`id_number_problem`
        plus the date check.
    """
    v = values.astype(str).str.strip().str.upper()
    out = np.full(len(v), "", dtype=object)
    filled = (v != "").to_numpy()
    # ASCII digits only (regex \d also matches other scripts' digits)
    shaped = v.str.fullmatch(r"[0-9]{17}[0-9X]").to_numpy(dtype=bool)
    out[filled & ~shaped] = "format"
    ok = filled & shaped
    if ok.any():
        joined = "".join(v[ok].to_numpy(dtype=object))
        chars = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
        chars = chars.reshape(-1, 18)
        total = (chars[:, :17].astype(np.int64) - 48) @ np.asarray(_ID_WEIGHTS)
        expected = np.frombuffer(_ID_CHECK_CHARS.encode("ascii"), dtype=np.uint8)
        wrong = expected[total % 11] != chars[:, 17]
        born = pd.to_datetime(v[ok].str[6:14], format="%Y%m%d", errors="coerce")
        no_date = born.isna().to_numpy()
        verdict = np.where(wrong, "check", np.where(no_date, "format", ""))
        out[ok] = verdict
    return out


def phones_valid(values: pd.Series) -> np.ndarray:
    """Return, for many phone numbers at once, whether each is valid (see above)."""
    v = values.astype(str).str.strip().str.replace(" ", "", regex=False)
    mobile = v.str.fullmatch(_MOBILE_PATTERN.pattern.strip("^$"))
    landline = v.str.fullmatch(_LANDLINE_PATTERN.pattern.strip("^$"))
    return (mobile | landline).to_numpy(dtype=bool)
