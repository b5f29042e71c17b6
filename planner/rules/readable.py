"""The plan check's findings as a person reads them.

``planner check`` used to print each finding as ``【需处理】 [unfilled_samplers]
staff_shortfall: …``: the rule's code and the place's code. An office reads instead the
severity in words, the rule's title in its language, the place by name (the site and
its community, the building and room of a household) and the explanation, which
already carries the numbers with their units::

    【需处理】采样人员缺岗 · 全街道：……
    【违反规则】步行超过上限 · 东湖社区 滨翠雅居3栋2单元401室：……

The codes stay available for programs and tests (:func:`finding_line` with
``codes=True``, the CLI's ``--codes``): the old line, code and place code first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from planner.model.scenario import Scenario
from planner.rules.plan import Violation
from planner.text import TEXT, Lang, tr

_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:[._][a-z0-9]+)*")
"""A program's word (``staff_shortfall``, ``p_transport``, ``policy``): never a place."""

_MORE = re.compile(r"\+(\d+)")
"""``+12``: the findings left unlisted."""


@dataclass(frozen=True)
class Places:
    """Names of the places a finding's ``where`` may name by code.

    Attributes
    ----------
    names
        Code → readable place: sites (name and community), households (community,
        building, unit, floor and room), buildings, staff (name), grids.
    """

    names: dict[str, str]

    @classmethod
    def of(cls, scenario: Scenario, lang: Lang = "zh") -> Places:
        """Return the places of `scenario` by their codes."""
        communities = list(scenario.communities)
        street = scenario.name
        names: dict[str, str] = {}
        sites = scenario.sites
        for sid, name, community in zip(
            sites.id.tolist(),
            sites.name.tolist(),
            sites.community.tolist(),
            strict=True,
        ):
            names[str(sid)] = tr(
                "outputs_place_site", lang, name=name, community=community or street
            )
        b = scenario.buildings
        building: list[str] = []
        for bid, address, c in zip(
            b.id.tolist(), b.address.tolist(), b.community.tolist(), strict=True
        ):
            community = communities[int(c)]
            label = _short(str(address), street, community)
            building.append(f"{community} {label}")
            names[str(bid)] = building[-1]
        h = scenario.households
        for hid, bi, unit, room in zip(
            h.id.tolist(),
            h.building.tolist(),
            h.unit.tolist(),
            h.room.tolist(),
            strict=True,
        ):
            names[str(hid)] = building[int(bi)] + _flat(unit, room, lang)
        for pid, name in zip(
            scenario.staff.id.tolist(), scenario.staff.name.tolist(), strict=True
        ):
            names.setdefault(str(pid), str(name))
        return cls(names)

    def place(self, where: str, lang: Lang = "zh") -> str:
        """Return `where` by name: codes named, program words dropped.

        ``where`` is one code, or a code and a time (``S001 08:00–08:30``); a code the
        scenario does not know (a team, a van, an item's name) is kept as it is.
        """
        words: list[str] = []
        for token in where.split():
            more = _MORE.fullmatch(token)
            if more:
                words.append(tr("outputs_place_more", lang, n=int(more.group(1))))
            elif token in self.names:
                words.append(self.names[token])
            elif not _IDENTIFIER.fullmatch(token):
                words.append(token)
        return " ".join(words)


def _short(address: str, street: str, community: str) -> str:
    """Return the address without the street's and the community's names in front."""
    for prefix in (street, community):
        if prefix and address.startswith(prefix) and len(address) > len(prefix):
            address = address[len(prefix) :]
    return address


def _flat(unit: object, room: object, lang: Lang) -> str:
    """Return ``1单元101室`` (what the register gives of it; empty when nothing)."""
    u, r = _text(unit), _text(room)
    if r:
        return tr("outputs_place_flat", lang, unit=u, room=r)
    return tr("outputs_place_unit", lang, unit=u) if u else ""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value or value < 0 else f"{value:g}"
    return str(value).strip()


def rule_title(rule: str, lang: Lang = "zh") -> str:
    """Return the title of `rule` in `lang` (``norm_*``: the norms' comparison)."""
    key = "outputs_rule_norm" if rule.startswith("norm_") else f"outputs_rule_{rule}"
    if key not in TEXT:
        return tr("outputs_rule_other", lang)
    return tr(key, lang)


def finding_line(
    v: Violation, places: Places, lang: Lang = "zh", *, codes: bool = False
) -> str:
    """Return one finding as a line for a person, or with its codes for a program."""
    if codes:
        return v.render(lang)
    tag = tr(f"finding_tag_{v.kind}", lang)
    text = v.zh if lang == "zh" else v.en
    place = places.place(v.where, lang)
    head = tr("outputs_finding_head", lang, title=rule_title(v.rule, lang))
    if place and not text.startswith(place):  # the text may name it first already
        head = tr("outputs_finding_at", lang, head=head, place=place)
    return tr("outputs_finding", lang, tag=tag, head=head, text=text)


def named_counts(
    findings: Sequence[Violation], kind: str, lang: Lang = "zh", *, codes: bool = False
) -> str:
    """Return ``采样人员缺岗 1、物资储备不足 4`` for the findings of `kind`.

    By title (codes: by rule code, as before), largest first.
    """
    count = Counter(
        v.rule if codes else rule_title(v.rule, lang)
        for v in findings
        if v.kind == kind
    )
    if codes:
        return ", ".join(f"{k} {n}" for k, n in sorted(count.items()))
    sep = tr("outputs_list_sep", lang)
    ordered = sorted(count.items(), key=lambda kn: (-kn[1], kn[0]))
    return sep.join(f"{k} {n}" for k, n in ordered)
