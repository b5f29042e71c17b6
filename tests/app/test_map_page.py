"""The 地图 page in AppTest: the basemap suggested for a street without map layers."""

from __future__ import annotations

import socket

import pytest
from test_pages import TINY, _app, _load, _solve

from planner.text import tr


class _Answer:
    """A connection that opened (the tile server answered)."""

    def __enter__(self) -> _Answer:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _infos(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.value for i in at.info]


def test_a_bare_street_offline_is_told_where_a_basemap_comes_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise OSError("no route")

    monkeypatch.setattr(socket, "create_connection", refused)
    at = _solve(
        _load(_app(), TINY)
    )  # the tiny street has no grids, compounds, walkways
    at.switch_page("planner/app/pages/map.py").run()
    assert not at.exception
    assert tr("map_basemap_offline", "zh") in _infos(at)
    assert tr("map_basemap_suggest", "zh") not in _infos(at)


def test_a_bare_street_is_offered_amap_when_it_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[tuple[str, int]] = []

    def answers(address: tuple[str, int], *args: object, **kwargs: object) -> _Answer:
        asked.append(address)
        return _Answer()

    monkeypatch.setattr(socket, "create_connection", answers)
    at = _solve(_load(_app(), TINY))
    at.switch_page("planner/app/pages/map.py").run()
    assert tr("map_basemap_suggest", "zh") in _infos(at)
    assert asked == [("webrd01.is.autonavi.com", 443)]
    at.button(key="map_use_amap").click().run()
    assert not at.exception
    assert at.selectbox(key="basemap").value == "amap"
    # chosen: the suggestion is gone
    assert tr("map_basemap_suggest", "zh") not in _infos(at)
