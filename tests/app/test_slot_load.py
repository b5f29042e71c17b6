"""The 时段 heat map: full as planned is calm, only over capacity is red, no Infinity."""

from __future__ import annotations

import json

import pandas as pd

from planner.app.slot_load import BAND_COLOURS, heatmap_frame, load_bands, load_heatmap


def _slots() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "site_id": ["S1", "S1", "S1", "S1", "S2"],
            "slot_start": ["08:00", "08:30", "09:00", "09:30", "08:00"],
            "people": [120, 60, 10, 130, 0],
            "work_units": [120.0, 60.0, 10.0, 130.0, 0.0],
            "capacity_units": [120.0, 120.0, 120.0, 120.0, 0.0],
        }
    )


SITES = pd.DataFrame({"site_id": ["S1", "S2"], "name": ["春河广场", "东湖中心"]})


def test_bands_from_light_to_over() -> None:
    assert load_bands([120, 60, 10, 130, 0], [120, 120, 120, 120, 0]) == [
        "full",
        "normal",
        "light",
        "over",
        "closed",
    ]
    # a hair above capacity from rounding is still full, not an alarm
    assert load_bands([120.3], [120.0]) == ["full"]


def test_full_is_calm_and_only_over_is_red() -> None:
    spec = load_heatmap(_slots(), SITES, "zh").to_dict()
    scale = spec["encoding"]["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    frame = heatmap_frame(_slots(), SITES, "zh")
    by_slot = dict(
        zip(frame["slot_start"] + frame["site_id"], frame["band"], strict=True)
    )
    assert colour[by_slot["08:00S1"]] == BAND_COLOURS["full"]  # 100 %: blue
    assert colour[by_slot["09:30S1"]] == BAND_COLOURS["over"]  # 108 %: red
    reds = [c for c in scale["range"] if c == BAND_COLOURS["over"]]
    assert reds == [BAND_COLOURS["over"]]  # one band only is red
    assert not BAND_COLOURS["full"].startswith("#d6")


def test_a_slot_without_capacity_reads_as_no_desk_not_infinity() -> None:
    frame = heatmap_frame(_slots(), SITES, "zh")
    closed = frame[frame["site_id"] == "S2"].iloc[0]
    assert closed["load"] == "无采样台（不开放）"
    assert closed["band"] == "无采样台（不开放）"
    assert frame[frame["slot_start"] == "08:30"]["load"].tolist() == ["50%"]
    text = json.dumps(load_heatmap(_slots(), SITES, "zh").to_dict(), ensure_ascii=False)
    assert "Infinity" not in text and "NaN" not in text
    # names before codes on the axis
    assert "春河广场（S1）" in set(frame["site"])
    en = heatmap_frame(_slots(), SITES, "en")
    assert en[en["site_id"] == "S2"].iloc[0]["load"] == "No desk (closed)"


def test_one_sites_slots_read_as_percentages_and_words() -> None:
    from planner.app.slot_load import site_slots_for_people

    one = _slots().assign(slot_end="x", desks=[4, 4, 4, 4, 0])
    out = site_slots_for_people(one, "zh")
    assert "work_units" not in out.columns and "capacity_units" not in out.columns
    assert out["负荷"].tolist() == [
        "100%（满）",
        "50%（正常）",
        "8%（空闲）",
        "108%（超负荷）",
        "无采样台（不开放）",
    ]
    assert site_slots_for_people(one, "en")["Load"].tolist()[0] == "100% (full)"
