"""Write outputs safely: into a staging folder beside the target, moved into place at the end.

A run that fails or is interrupted leaves the previous output as it was (or no
output), never a half-written folder that looks whole. An existing non-empty target
is replaced only when the caller says so (``--force``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from planner.errors import InputError, Issue

_PARTIAL = ".partial-"
_OLD = ".old-"


def _stage_name(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}{kind}{os.getpid()}{target.suffix}"


def check_output(
    target: Path, *, force: bool, folder: bool = True, option: str = "--out"
) -> None:
    """Refuse an output path that cannot be used, naming it and the option.

    Raises
    ------
    InputError
        When `target` is an existing file where a folder is wanted (or a folder
        where a file is wanted), an existing non-empty folder or file without
        `force`, or a place that cannot be created or written.
    """
    wants_file = not folder
    issue: Issue | None = None
    if target.exists():
        if wants_file and target.is_dir():
            issue = Issue(
                "error", "out_is_folder", str(target), params=(("option", option),)
            )
        elif not wants_file and not target.is_dir():
            issue = Issue(
                "error", "out_is_file", str(target), params=(("option", option),)
            )
        elif not force and (target.is_file() or any(target.iterdir())):
            issue = Issue(
                "error", "out_exists", str(target), params=(("option", option),)
            )
    if issue is None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            probe = _stage_name(target, ".probe-")
            probe.mkdir()
            probe.rmdir()
        except OSError:
            issue = Issue(
                "error", "out_not_writable", str(target), params=(("option", option),)
            )
    if issue is not None:
        raise InputError([issue])


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _remove_stale(target: Path) -> None:
    """Remove staging left by an earlier run of this target that was killed."""
    for kind in (_PARTIAL, _OLD):
        for stale in target.parent.glob(f".{target.name}{kind}*"):
            _remove(stale)


@contextlib.contextmanager
def staged_output(
    target: Path, *, force: bool, folder: bool = True, option: str = "--out"
) -> Iterator[Path]:
    """Yield a staging path beside `target`; on success it replaces `target`.

    For a folder target the staging path is an empty folder; for a file target
    (``folder=False``, e.g. ``book.xlsx``) it is a path to write the file to. On an exception the
    staging is removed and `target` is left as it was.

    Raises
    ------
    InputError
        As :func:`check_output`.
    """
    check_output(target, force=force, folder=folder, option=option)
    _remove_stale(target)
    stage = _stage_name(target, _PARTIAL)
    if folder:
        stage.mkdir()
    try:
        yield stage
    except BaseException:
        _remove(stage)
        raise
    if target.exists():
        old = _stage_name(target, _OLD)
        target.rename(old)
        stage.rename(target)
        _remove(old)
    else:
        stage.rename(target)
