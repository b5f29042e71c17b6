"""Match sampling records to the register's residents, never guessing, never twice.

Rules, in order, for each record:

1. **ID number.** A record whose ID number (normalised: NFKC, no spaces, upper case)
   is one resident's is that resident's (``id``).
2. **Name and phone.** An ID number two residents share (a register's mistake) is
   the one of them with the record's name and phone, else ``ambiguous``.
   Otherwise, when exactly one resident has the record's name and phone, the record
   is that resident's (``name_phone``) — unless the record carries a *valid* ID
   number (check digit right) that is someone else's or nobody's in the register:
   then two identities disagree and the record is ``ambiguous``. An ID number with a
   wrong check digit or a wrong shape is a typo and does not block the match.
3. Two or more residents with the name and phone: ``ambiguous``. None: ``unmatched``
   (a visitor, or a typo in name or phone).

A resident matched by several records is counted once: the earliest record counts
(``first``), the others are ``repeat`` (a second swab; its tube still holds them).
Ambiguous and unmatched records are listed, not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.io.records import SPACES, normalise_id_numbers, normalise_phones
from planner.model.identity import id_number_problems
from planner.model.scenario import Residents
from planner.model.types import BoolArray, IntArray

STATUSES = ("id", "name_phone", "repeat", "ambiguous", "unmatched")
"""A record's match: by ID, by name and phone, a repeat of a counted resident,
ambiguous, unmatched."""


@dataclass(frozen=True)
class Matching:
    """Records matched to residents.

    Attributes
    ----------
    resident
        ``(records,)`` resident index, -1 when ambiguous or unmatched.
    status
        ``(records,)`` one of :data:`STATUSES`.
    why
        ``(records,)`` for ambiguous records: ``id_conflict`` (a valid ID number that is
        not the named resident's) or ``same_name_phone``; ``""`` otherwise.
    sampled
        ``(residents,)`` the resident has a counted record.
    first_record
        ``(residents,)`` index of the counting record, -1 when not sampled.
    """

    resident: IntArray
    status: np.ndarray
    why: np.ndarray
    sampled: BoolArray
    first_record: IntArray

    def counts(self) -> dict[str, int]:
        """Return the records per status."""
        values, n = np.unique(self.status.astype(str), return_counts=True)
        got = dict(zip(values.tolist(), n.tolist(), strict=True))
        return {s: int(got.get(s, 0)) for s in STATUSES}


def _lookup(keys: pd.Series, table_keys: pd.Series) -> tuple[IntArray, IntArray]:
    """Return, per key, the unique table row with that key (-1: none) and the count."""
    codes, found_keys = pd.factorize(table_keys)
    uniques = pd.Index(found_keys)
    count = np.bincount(codes[codes >= 0], minlength=len(uniques))
    first = np.full(len(uniques), -1, dtype=np.int64)
    rows = np.flatnonzero(codes >= 0)[::-1]
    first[codes[rows]] = rows  # written last to first: the first row stays
    at = uniques.get_indexer(keys)
    found = at >= 0
    row = np.full(len(keys), -1, dtype=np.int64)
    n = np.zeros(len(keys), dtype=np.int64)
    row[found] = first[at[found]]
    n[found] = count[at[found]]
    return row, n


def match_records(records: pd.DataFrame, residents: Residents) -> Matching:
    """Match every record to at most one resident (see the module docstring).

    Parameters
    ----------
    records
        A record frame from :func:`planner.io.records.read_records` (``name``,
        ``id_number``, ``phone`` normalised, ``sampled_at``).
    residents
        The register.

    Returns
    -------
    Matching
    """
    n = len(records)
    reg_id = normalise_id_numbers(pd.Series(residents.id_number, dtype="str"))
    reg_id = reg_id.where(reg_id != "", None)
    reg_name = pd.Series(residents.name, dtype="str").str.replace(
        SPACES, "", regex=True
    )
    reg_phone = normalise_phones(pd.Series(residents.phone, dtype="str"))
    rec_id = records["id_number"].astype("str").reset_index(drop=True)
    by_id, n_id = _lookup(rec_id, reg_id)
    resident = np.where(n_id == 1, by_id, -1)
    status = np.full(n, "unmatched", dtype=object)
    why = np.full(n, "", dtype=object)
    status[n_id == 1] = "id"
    # two residents with one ID number: the register's error, not a guess to make
    status[n_id > 1] = "ambiguous"
    why[n_id > 1] = "same_id"
    rest = np.flatnonzero(n_id != 1)
    if len(rest):
        key_reg = reg_name + "|" + reg_phone
        key_reg = key_reg.where((reg_name != "") & (reg_phone != ""), None)
        names = records["name"].astype("str").to_numpy()[rest]
        phones = records["phone"].astype("str").to_numpy()[rest]
        key_rec = pd.Series(names, dtype="str") + "|" + pd.Series(phones, dtype="str")
        by_np, n_np = _lookup(key_rec, key_reg)
        ids = pd.Series(rec_id.to_numpy()[rest], dtype="str")
        valid_id = (ids != "").to_numpy() & (id_number_problems(ids) == "")
        one = n_np == 1
        shared = n_id[rest] > 1
        # an ID number two residents share: the one with the record's name and phone
        same = np.zeros(len(rest), dtype=bool)
        same[one] = reg_id.to_numpy(dtype=object)[by_np[one]] == ids.to_numpy()[one]
        take = one & np.where(shared, same, ~valid_id)
        resident[rest[take]] = by_np[take]
        status[rest[take]] = "name_phone"
        why[rest[take]] = ""
        conflict = one & valid_id & ~shared
        status[rest[conflict]] = "ambiguous"
        why[rest[conflict]] = "id_conflict"
        many = (n_np > 1) & ~shared
        status[rest[many]] = "ambiguous"
        why[rest[many]] = "same_name_phone"
    # count each resident once: the earliest record
    sampled = np.zeros(len(residents), dtype=bool)
    first = np.full(len(residents), -1, dtype=np.int64)
    got = np.flatnonzero(resident >= 0)
    if len(got):
        times = (
            records["sampled_at"].to_numpy().astype("datetime64[s]").astype(np.int64)
        )
        order = got[np.lexsort((got, times[got], resident[got]))]
        r = resident[order]
        lead = np.r_[True, r[1:] != r[:-1]]
        status[order[~lead]] = "repeat"
        first[r[lead]] = order[lead]
        sampled[r[lead]] = True
    return Matching(resident, status, why, sampled, first)
