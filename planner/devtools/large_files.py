"""Refuse files over a size limit: a commit hook (``.pre-commit-config.yaml``).

Usage: ``python -m planner.devtools.large_files [--max-kib N] FILE ...``; exits 1 and
names each file over the limit, 0 when none is.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

DEFAULT_MAX_KIB = 8192
"""The default limit, KiB: the shipped demo's largest files (the register, 4.4 MiB) pass."""


def too_large(paths: Sequence[Path], max_kib: int) -> list[tuple[Path, int]]:
    """Return each existing file of `paths` over `max_kib` KiB, with its size in KiB."""
    out = []
    for path in paths:
        if path.is_file():
            kib = path.stat().st_size // 1024
            if kib > max_kib:
                out.append((path, kib))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print the files over the limit; return 1 when there are any."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-kib", type=int, default=DEFAULT_MAX_KIB)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    found = too_large(args.files, args.max_kib)
    for path, kib in found:
        print(f"{path}: {kib} KiB > {args.max_kib} KiB")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
