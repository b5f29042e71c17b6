"""The ``planner serve`` and ``planner ops`` commands (wired into :mod:`planner.cli`)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue, PlannerError
from planner.model.constants import OPS_CODES_DAYS_AHEAD
from planner.text import Lang, ops_text, tr

DEFAULT_HOST = "127.0.0.1"
"""Where the service listens unless ``--host`` says otherwise: this machine only."""

DEFAULT_PORT = 8600
"""The service's default port."""


def _open(args: argparse.Namespace) -> tuple[Path, object]:
    try:
        import sqlalchemy.exc

        from planner.ops.service import import_plan
        from planner.ops.store import Store
    except ModuleNotFoundError as exc:
        raise PlannerError(
            ops_text("extra_missing", args.lang, name=exc.name)
        ) from None

    plan_dir = Path(args.plan_dir)
    if not (plan_dir / "plan.json").is_file():
        raise InputError(
            [
                Issue(
                    "error",
                    "file_unreadable",
                    str(plan_dir / "plan.json"),
                    params=(
                        ("why", "no plan.json: not a folder written by planner plan"),
                    ),
                )
            ]
        )
    try:
        store = Store.open(plan_dir, args.db)
    except (sqlalchemy.exc.SQLAlchemyError, ValueError) as exc:
        # a wrong URL or a database that does not answer is bad input, not a bug
        why = str(exc).splitlines()[0][:200]
        raise InputError(
            [Issue("error", "ops_db_unreadable", "--db", params=(("why", why),))]
        ) from None
    import_plan(store, plan_dir, author=getattr(args, "author", None))
    return plan_dir, store


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the operations service until Ctrl-C."""
    import uvicorn

    from planner.ops.service import OpsState, create_app
    from planner.ops.store import Store, database_url

    lang: Lang = args.lang
    plan_dir, store = _open(args)
    assert isinstance(store, Store)
    scenario = args.scenario or store.get_meta("scenario_path")
    if args.scenario:
        store.set_meta("scenario_path", str(Path(args.scenario).resolve()))
    state = OpsState(plan_dir, store, Path(scenario) if scenario else None)
    app = create_app(state)
    url = database_url(plan_dir, args.db)
    shown = url.split("@")[-1] if "@" in url else url
    print(
        ops_text("serving", lang, host=args.host, port=args.port, db=shown), flush=True
    )
    # proxy_headers off: the peer address comes from the socket, so a process on
    # this machine cannot choose the address the failure limit counts by sending
    # X-Forwarded-For (uvicorn trusts it from 127.0.0.1 by default)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        proxy_headers=False,
        server_header=False,
    )
    store.close()
    return 0


def cmd_codes(args: argparse.Namespace) -> int:
    """Issue the day's access codes and write them once to ``ops_codes.csv``."""
    from planner.ops.codes import CodesExistError, issue_codes, local_today
    from planner.ops.store import Store

    lang: Lang = args.lang
    plan_dir, store = _open(args)
    assert isinstance(store, Store)
    latest = store.latest_version()
    assert latest is not None
    sites = store.plan_tables(latest).sites
    open_ids = [str(r["site_id"]) for r in sites.to_dict("records") if r["open"]]
    try:
        day = dt.date.fromisoformat(args.day) if args.day else None
    except ValueError:
        store.close()
        raise InputError(
            [Issue("error", "bad_date", "--day", params=(("value", args.day),))]
        ) from None
    if day is not None and not _day_allowed(day):
        store.close()
        print(
            tr(
                "sec_codes_day",
                lang,
                day=day.isoformat(),
                today=local_today().isoformat(),
                n=OPS_CODES_DAYS_AHEAD,
            )
        )
        return 2
    try:
        path = issue_codes(store, plan_dir, open_ids, day=day, reissue=args.reissue)
    except CodesExistError as exc:
        print(ops_text("codes_exist", lang, path=str(exc)))
        return 2
    finally:
        store.close()
    print(ops_text("codes_written", lang, sites=len(open_ids), path=str(path)))
    return 0


def _day_allowed(day: dt.date) -> bool:
    """Whether codes may be issued for `day`: today to :data:`OPS_CODES_DAYS_AHEAD` on."""
    from planner.ops.codes import local_today

    today = local_today()
    return today <= day <= today + dt.timedelta(days=OPS_CODES_DAYS_AHEAD)


def cmd_revoke(args: argparse.Namespace) -> int:
    """Revoke the codes of one site, of the command centre, or all of them."""
    from planner.ops.store import Store, iso, utc_now

    lang: Lang = args.lang
    _plan_dir, store = _open(args)
    assert isinstance(store, Store)
    n = store.revoke_codes(None if args.site == "all" else args.site, at=iso(utc_now()))
    store.close()
    print(ops_text("codes_revoked", lang, n=n))
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    """List the plan versions in the store."""
    from planner.ops.store import Store

    lang: Lang = args.lang
    _plan_dir, store = _open(args)
    assert isinstance(store, Store)
    print(ops_text("versions_head", lang))
    for v in store.versions():
        print(f"v{v.id}  {v.created_at}  {v.author}  {v.kind}  {v.note}")
    store.close()
    return 0


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("plan_dir", help="folder written by `planner plan`")
    p.add_argument(
        "--db",
        help="database URL, e.g. postgresql://user@host:5432/db "
        "(default: SQLite file PLAN_DIR/ops.sqlite3)",
    )
    p.add_argument("--author", help="who made the plan (default: this user)")


def add_commands(
    sub: argparse._SubParsersAction[Any],
    *,
    parents: list[argparse.ArgumentParser],
    epilog: str,
) -> None:
    """Add ``serve`` and ``ops`` to the CLI's subcommands.

    Parameters
    ----------
    sub
        The CLI's subcommands.
    parents
        Parsers whose options every subcommand takes (``--lang``).
    epilog
        The exit codes, shown by ``--help``.
    """
    common: dict[str, Any] = {"parents": parents, "epilog": epilog}
    p = sub.add_parser(
        "serve",
        help="run the screening day's service: phone reports, status, re-plan",
        **common,
    )
    _db_arg(p)
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8600)")
    p.add_argument(
        "--scenario",
        help="scenario folder or workbook, for forecasts and re-plans "
        "(remembered in the store)",
    )
    p.set_defaults(func=cmd_serve)

    ops = sub.add_parser(
        "ops", help="access codes and plan versions of the day", **common
    )
    ops_sub = ops.add_subparsers(dest="ops_command", required=True)
    p = ops_sub.add_parser(
        "codes",
        help="issue one code per open site and one for the command centre, "
        "written once to PLAN_DIR/ops_codes.csv",
        **common,
    )
    _db_arg(p)
    p.add_argument(
        "--day",
        help="screening day YYYY-MM-DD (default today); codes expire at its midnight",
    )
    p.add_argument(
        "--reissue", action="store_true", help="revoke every code and issue new ones"
    )
    p.set_defaults(func=cmd_codes)
    p = ops_sub.add_parser(
        "revoke", help="revoke the codes of a site, 'command' or 'all'"
    )
    _db_arg(p)
    p.add_argument("site", help="site id, command, or all")
    p.set_defaults(func=cmd_revoke)
    p = ops_sub.add_parser("versions", help="list the plan versions", **common)
    _db_arg(p)
    p.set_defaults(func=cmd_versions)
