"""Building notices: one A4 page per building, collected per site in ``notices/<site>.pdf``.

A page tells the residents of one building where to go (site name, address, walking
distance and direction from the building), when (the building's slot or slots, with the
units called in each), what to bring (ID card, health code, a mask, as the seed plans
ask), how to queue (1 m apart, come in your slot, green lane) and whom to call (the site
lead on duty, else the community's residents' committee). A building whose households
are all sampled at home gets a "stay at home" page instead; those pages are collected in
``notices/door_to_door.pdf``.

Pages are built as plain data first (:func:`notice_pages`) so the font can be cut to
exactly the characters they use before anything is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from planner.export._common import ExportData, bearing_index, contact_phone, records
from planner.export._pdf_style import BLUE, GREY
from planner.export._xlsx import safe_file_stem

if TYPE_CHECKING:
    from planner.export._pdf import CjkPdf

HOME_FILE = "door_to_door"
"""File stem of the notices of buildings sampled entirely at home."""


@dataclass(frozen=True)
class NoticePage:
    """The text of one building's notice."""

    group: str
    building_id: str
    title: str
    dear: str
    intro: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    emphasis: tuple[str, ...] = field(default=())
    footer: str = ""

    def texts(self) -> list[str]:
        """Return every string on the page."""
        out = [self.group, self.building_id, self.title, self.dear, self.intro]
        out += [self.footer, *self.emphasis]
        for head, lines in self.sections:
            out.append(head)
            out.extend(lines)
        return out


class _Household(NamedTuple):
    """What a notice reads of one household (every field as text)."""

    mode: str
    arrive: str
    team_id: str
    slot_start: str
    slot: str
    unit: str


def _households_by_building(hh: pd.DataFrame) -> dict[int, list[_Household]]:
    """Return each building's households in the table's order, as plain tuples.

    A notice per building then costs no frame filtering (0.7 s -> 0.05 s on the demo).
    """
    columns = [hh[c].astype(str).tolist() for c in _Household._fields]
    out: dict[int, list[_Household]] = {}
    for b, *fields in zip(hh["b"].tolist(), *columns, strict=True):
        out.setdefault(int(b), []).append(_Household(*fields))
    return out


def _units_by_slot(hh: list[_Household], data: ExportData) -> list[str]:
    """Return one line per slot: ``08:00–08:30  1单元、2单元`` (or whole building)."""
    units: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for h in hh:
        if h.mode == "walk_up":
            units.setdefault(h.slot_start, set()).add(h.unit)
            labels[h.slot_start] = h.slot
    all_units = set().union(*units.values()) if units else set()
    sep = "、" if data.lang == "zh" else ", "
    lines = []
    for start in sorted(units):
        mine = units[start]
        if mine == all_units or mine == {""}:
            what = data.t("notice_all_units")
        else:
            what = sep.join(u for u in sorted(mine, key=lambda u: (len(u), u)) if u)
        lines.append(data.t("notice_slot_line", slot=labels[start], units=what))
    return lines


def _contacts(data: ExportData) -> dict[str, tuple[str, str] | None]:
    """Return each site's contact on notices: the first shift's site lead, if any."""
    out: dict[str, tuple[str, str] | None] = {}
    for sid, leads in zip(data.sites["site_id"], data.sites["leads"], strict=True):
        out[str(sid)] = (
            (str(leads[0]["name"]), contact_phone(str(leads[0]["phone"])))
            if leads
            else None
        )
    return out


def _contact(
    data: ExportData,
    contacts: dict[str, tuple[str, str] | None],
    site_id: str,
    community: str,
) -> str:
    lead = contacts.get(site_id)
    if lead is not None:
        return data.t("notice_contact", name=lead[0], phone=lead[1])
    return data.t("notice_contact_none", community=community)


def notice_pages(data: ExportData) -> list[NoticePage]:
    """Return the notice of every building with anyone to sample, grouped by site."""
    t = data.t
    hh_by_b = _households_by_building(data.households)
    sites = {str(r["site_id"]): r for r in records(data.sites)}
    contacts = _contacts(data)
    hv = data.files.home_visits
    team_depot = (
        dict(
            zip(hv["team_id"].astype(str), hv["depot_site_id"].astype(str), strict=True)
        )
        if len(hv)
        else {}
    )
    speed = data.policy.walking.speed_m_per_min
    footer = t("notice_footer", street=data.street)
    bring = tuple(t(f"bring_{i}") for i in range(1, 4))
    queue_rules = [t("queue_1"), t("queue_2"), t("queue_3"), t("queue_4")]
    pages: list[NoticePage] = []
    order = data.buildings.sort_values(["site_id", "first_slot", "grid_id", "b"])
    for b in records(order):
        if b["households"] == 0 or b["mode"] == "none":
            continue
        hh = hh_by_b[int(b["b"])]
        label = str(b["building"])
        home = [h for h in hh if h.mode == "home_visit"]
        arrive = sorted(h.arrive for h in home if h.arrive)
        if not arrive:
            home_when = "—"
        elif arrive[0] == arrive[-1]:
            home_when = t("when_at", t0=arrive[0])
        else:
            home_when = t("when_between", t0=arrive[0], t1=arrive[-1])
        if b["mode"] == "home_visit":
            team = next((h.team_id for h in home if h.team_id), "")
            contact = _contact(
                data, contacts, team_depot.get(team, ""), str(b["community"])
            )
            pages.append(
                NoticePage(
                    group=HOME_FILE,
                    building_id=str(b["building_id"]),
                    title=t("notice_title"),
                    dear=t("notice_dear", building=label),
                    intro=t("notice_home_title"),
                    sections=(
                        ("", (t("notice_home_text", when=home_when),)),
                        (t("notice_bring"), (bring[0], bring[2])),
                        (t("notice_call"), (contact,)),
                    ),
                    emphasis=(t("notice_home_title"),),
                    footer=footer,
                )
            )
            continue
        sid = str(b["site_id"])
        site = sites[sid]
        walk_m = max(int(b["walk_m"]), 0)
        direction = t(
            "dir_"
            + str(
                bearing_index(
                    float(b["lon"]),
                    float(b["lat"]),
                    float(site["lon"]),
                    float(site["lat"]),
                )
            )
        )
        where = (
            str(site["name"]),
            *((str(site["address"]),) if site["address"] != site["name"] else ()),
            t(
                "notice_walk",
                dir=direction,
                m=walk_m,
                minutes=max(1, round(walk_m / speed)),
            ),
        )
        when = tuple(_units_by_slot(hh, data))
        queue = list(queue_rules)
        if len(home):
            queue.append(t("notice_home_some", n=len(home), when=home_when))
        contact = _contact(data, contacts, sid, str(b["community"]))
        pages.append(
            NoticePage(
                group=sid,
                building_id=str(b["building_id"]),
                title=t("notice_title"),
                dear=t("notice_dear", building=label),
                intro=t("notice_intro"),
                sections=(
                    (t("notice_site"), where),
                    (t("notice_time"), when),
                    (t("notice_bring"), bring),
                    (t("notice_queue"), tuple(queue)),
                    (t("notice_call"), (contact,)),
                ),
                emphasis=(where[0], *when),
                footer=footer,
            )
        )
    return pages


def _draw(pdf: CjkPdf, page: NoticePage) -> None:
    pdf.add_page()
    pdf.set_y(20)
    pdf.bold_text(page.title, 28, h=15, align="C")
    pdf.ln(5)
    pdf.bold_text(page.dear, 15, h=9)
    if page.intro in page.emphasis:
        pdf.ln(2)
        pdf.bold_text(page.intro, 19, h=11, align="C")
    else:
        pdf.para(page.intro, 13, h=7.5, indent=9)
    pdf.ln(3)
    for head, lines in page.sections:
        if head:
            y = pdf.get_y()
            pdf.set_fill_color(*BLUE)
            pdf.rect(pdf.l_margin, y + 1.2, 2.4, 7.5, style="F")
            pdf.set_x(pdf.l_margin + 5)
            with pdf.local_context(text_color=BLUE):
                pdf.bold_text(head, 16, h=10)
        for line in lines:
            if line in page.emphasis:
                pdf.set_x(pdf.l_margin + 5)
                pdf.bold_text(line, 19, h=10.5)
            else:
                pdf.para(line, 13.5, h=7.5, indent=5)
        pdf.ln(3)
    pdf.set_y(-30)
    pdf.para(page.footer, 12, h=6, color=GREY)


def write_notices(
    pages: list[NoticePage], font: Path, out: Path, lang: str = "zh"
) -> list[Path]:
    """Draw the pages into ``out/notices/<group>.pdf`` and return the files."""
    from planner.export._pdf import CjkPdf  # fpdf2 only where PDFs are drawn

    folder = out / "notices"
    folder.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[NoticePage]] = {}
    for page in pages:
        groups.setdefault(page.group, []).append(page)
    written = []
    for group, members in groups.items():
        pdf = CjkPdf(font, page_numbers=False, lang=lang)
        pdf.set_auto_page_break(False)
        pdf.set_title(group)
        for page in members:
            _draw(pdf, page)
        path = folder / f"{safe_file_stem(group)}.pdf"
        pdf.output(str(path))
        written.append(path)
    return written
