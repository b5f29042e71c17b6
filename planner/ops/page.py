"""Render the site lead's phone page and the service's index page.

The page is one plain HTML form with a little ES5 script (old phone browsers run
it). A report goes first into an *outbox* in the phone's ``localStorage`` with a
random ``report_id``, and leaves it only when the server has answered 201 or 200;
a dropped network keeps it there and the page sends it again when the browser comes
back online (and every 15 seconds). The server stores a ``report_id`` once, so a
report whose answer was lost and is sent again is not counted twice.

The script and style are files (``/static/report.js``, ``/static/report.css``) and the
page's data is a JSON block that is not run, so the service's content security policy
forbids every inline script: text that slips into the HTML cannot run and read the
codes the page keeps in ``localStorage``. Every value put into the HTML is escaped.
"""

from __future__ import annotations

import html
import json
import secrets
from pathlib import Path

from planner.ops.progress import PROBLEMS
from planner.text import OPS_PAGE, Lang, lang_index

_STATIC = Path(__file__).resolve().parent / "static"

STATIC_FILES: dict[str, str] = {
    "report.js": "text/javascript; charset=utf-8",
    "report.css": "text/css; charset=utf-8",
}
"""The files ``/static/{name}`` serves, with their media types (nothing else)."""


def static_bytes(name: str) -> bytes:
    """Return one of :data:`STATIC_FILES`."""
    if name not in STATIC_FILES:
        raise KeyError(name)
    return (_STATIC / name).read_bytes()


def page_texts(lang: Lang) -> dict[str, str]:
    """Return the page's texts in `lang`."""
    i = lang_index(lang)
    return {k: v[i] for k, v in OPS_PAGE.items()}


def site_page(
    site_id: str, lang: Lang = "zh", *, message: str = "", error: str = ""
) -> str:
    """Return the phone page of one site.

    Parameters
    ----------
    site_id
        The site.
    lang
        Page language.
    message, error
        What the last form post did (the page without JavaScript shows it).
    """
    t = page_texts(lang)
    options = "".join(
        f'<option value="{p}">{html.escape(t[p])}</option>' for p in PROBLEMS
    )
    template = (_STATIC / "report.html").read_text(encoding="utf-8")
    values = {
        "LANG": "zh-CN" if lang == "zh" else "en",
        "SITE_ID": html.escape(site_id),
        "PROBLEM_OPTIONS": options,
        "LANG_QUERY": "?lang=en" if lang == "en" else "",
        # a browser that resends the form sends this id again: stored once
        "REPORT_ID": "form-" + secrets.token_hex(12),
        "MESSAGE": html.escape(message or t["all_sent"]),
        "ERROR": html.escape(error),
        "CONFIG_JSON": json.dumps({"site": site_id, "t": t}, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e"),
        **{f"T_{k.upper()}": html.escape(v) for k, v in t.items()},
    }
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


def message_page(text: str, lang: Lang = "zh") -> str:
    """Return a page showing one message (escaped: it may quote the request)."""
    t = page_texts(lang)
    return (
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(t['title'])}</title></head><body>"
        f"<p>{html.escape(text)}</p></body></html>"
    )


def index_page(site_ids: list[str], lang: Lang = "zh") -> str:
    """Return a short page linking every open site's report page."""
    t = page_texts(lang)
    links = "".join(
        f'<li><a href="/sites/{html.escape(s)}">{html.escape(t["site"])} '
        f"{html.escape(s)}</a></li>"
        for s in site_ids
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(t['title'])}</title></head><body>"
        f"<h1>{html.escape(t['title'])}</h1><ul>{links}</ul></body></html>"
    )
