"""Issue, check and revoke the day's access codes (one per open site, one for command).

A code is random text from an alphabet without look-alike characters (no 0/O, 1/I/L),
printed in groups of four. Site codes carry 60 bits, the command centre's 100 bits, so
they cannot be guessed within the failure rate limit of :mod:`planner.ops.service`.
The database keeps only ``sha256(salt + code)`` with a random salt of the store; the
codes themselves are written once, to ``PLAN_DIR/ops_codes.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.ops.store import Store, iso, utc_now

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Characters of a code: digits and capitals without 0, 1, I, L, O (31 symbols)."""

SITE_CODE_LENGTH = 12
"""Characters of a site lead's code (≈ 59 bits)."""

COMMAND_CODE_LENGTH = 20
"""Characters of the command centre's code (≈ 99 bits)."""

COMMAND = "command"
"""``site_id`` of the command centre's code."""

LOCAL_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
"""The street office's clock, China Standard Time (UTC+8, no daylight saving; a fixed
offset needs no time-zone database): codes expire at its midnight."""

CODES_FILE = "ops_codes.csv"
"""Where the codes are written once, inside the plan folder."""


class CodesExistError(FileExistsError):
    """``ops_codes.csv`` is already there; codes are written only once."""


@dataclass(frozen=True, slots=True)
class Access:
    """Who a valid code belongs to.

    Attributes
    ----------
    code_id
        Row id of the code.
    site_id
        The site, or :data:`COMMAND`.
    """

    code_id: int
    site_id: str

    @property
    def is_command(self) -> bool:
        """True for the command centre's code."""
        return self.site_id == COMMAND


def new_code(length: int) -> str:
    """Return a random code of `length` characters, grouped by four with hyphens."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return "-".join(raw[i : i + 4] for i in range(0, length, 4))


def normalise(code: str) -> str:
    """Return the code as typed without spaces or hyphens, upper case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str, salt: str) -> str:
    """Return the stored hash of a code (SHA-256 hex of salt and normalised code)."""
    return hashlib.sha256((salt + normalise(code)).encode("utf-8")).hexdigest()


def store_salt(store: Store) -> str:
    """Return the store's hashing salt, creating it on first use."""
    return store.meta_default("code_salt", secrets.token_hex(16))


def end_of_day(day: dt.date) -> dt.datetime:
    """Return midnight after `day` on the street office's clock, as UTC."""
    local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), LOCAL_TZ)
    return local.astimezone(dt.UTC)


def local_today() -> dt.date:
    """Return today's date on the street office's clock."""
    return utc_now().astimezone(LOCAL_TZ).date()


def issue_codes(
    store: Store,
    plan_dir: Path,
    site_ids: Sequence[str],
    *,
    day: dt.date | None = None,
    reissue: bool = False,
) -> Path:
    """Issue one code per site and one command code; write them once to the CSV.

    Parameters
    ----------
    store
        The plan store (gets the hashes).
    plan_dir
        The plan folder; ``ops_codes.csv`` (``site_id,code``) is written there.
    site_ids
        The open sites.
    day
        The screening day; the codes expire at its midnight (today by default).
    reissue
        Revoke every code still valid and write a new file over the old one.

    Returns
    -------
    pathlib.Path
        The CSV written.

    Raises
    ------
    CodesExistError
        When the file exists and `reissue` is not set.
    """
    path = plan_dir / CODES_FILE
    if path.exists() and not reissue:
        raise CodesExistError(str(path))
    now = utc_now()
    if reissue:
        store.revoke_codes(None, at=iso(now))
    salt = store_salt(store)
    rows = [(sid, new_code(SITE_CODE_LENGTH)) for sid in site_ids]
    rows.append((COMMAND, new_code(COMMAND_CODE_LENGTH)))
    expires = end_of_day(day or local_today())
    store.add_codes(
        [(sid, code_hash(code, salt)) for sid, code in rows],
        issued_at=iso(now),
        expires_at=iso(expires),
    )
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8-sig") as fh:
        out = csv.writer(fh)
        out.writerow(["site_id", "code"])
        out.writerows(rows)
    tmp.replace(path)
    path.chmod(0o600)
    return path


def check_code(store: Store, code: str, salt: str, now: dt.datetime) -> Access | None:
    """Return who a code belongs to, or None when unknown, revoked or expired."""
    if not normalise(code):
        return None
    row = store.find_code(code_hash(code, salt))
    if row is None or row.revoked_at is not None or row.expires_at <= iso(now):
        return None
    return Access(row.id, row.site_id)
