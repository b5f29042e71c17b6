"""Write scenario tables to a folder of CSV files or one Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pandas as pd

from planner.io.schema import TABLE_BY_NAME

Headers = Literal["en", "zh"]


def _for_output(name: str, frame: pd.DataFrame, headers: Headers) -> pd.DataFrame:
    table = TABLE_BY_NAME[name]
    out = frame.copy()
    for col in table.columns:
        if col.name in out and col.type == "bool":
            yes, no = ("是", "否") if headers == "zh" else ("true", "false")
            out[col.name] = out[col.name].map({True: yes, False: no}).fillna("")
    if headers == "zh":
        out = out.rename(columns={c.name: c.label_zh for c in table.columns})
    return out


def write_scenario_folder(
    tables: dict[str, pd.DataFrame],
    meta: dict[str, str],
    path: Path,
    *,
    headers: Headers = "en",
) -> None:
    """Write one UTF-8 CSV per table plus ``scenario.toml`` into `path`.

    Parameters
    ----------
    tables
        Canonical tables by name.
    meta
        ``name`` and ``coordinate_system``.
    path
        Folder to create or overwrite files in.
    headers
        ``en`` canonical headers (default) or ``zh`` the Chinese register headers.
    """
    path.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        _for_output(name, frame, headers).to_csv(path / f"{name}.csv", index=False)
    lines = ["[scenario]"] + [f'{k} = "{v}"' for k, v in meta.items()]
    (path / "scenario.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_scenario_workbook(
    tables: dict[str, pd.DataFrame],
    meta: dict[str, str],
    path: Path,
    *,
    headers: Headers = "zh",
) -> None:
    """Write one workbook: a key/value scenario sheet, then one sheet per table.

    Every cell is written as text where the table column is text, so Excel keeps
    18-digit ID numbers and phone numbers intact.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("情景" if headers == "zh" else "scenario")
    ws.append(["项目", "值"] if headers == "zh" else ["key", "value"])
    labels = {"name": "名称", "coordinate_system": "坐标系"}
    for k, v in meta.items():
        ws.append([labels.get(k, k) if headers == "zh" else k, v])
    for name, frame in tables.items():
        table = TABLE_BY_NAME[name]
        ws = wb.create_sheet(table.label_zh if headers == "zh" else name)
        out = _for_output(name, frame, headers)
        ws.append(list(out.columns))
        text_cols = {
            i
            for i, c in enumerate(frame.columns)
            if c
            in {
                col.name for col in table.columns if col.type in ("str", "time", "date")
            }
        }
        for row in out.itertuples(index=False):
            values = []
            for i, v in enumerate(row):
                if i in text_cols:
                    cell = WriteOnlyCell(ws, value="" if v is None else str(v))
                    cell.number_format = "@"
                    values.append(cell)
                else:
                    values.append(v.item() if hasattr(v, "item") else v)
            ws.append(values)
    wb.save(path)


def write_geo_layers(layers: dict[str, Any], path: Path) -> list[Path]:
    """Write map layers (GeoDataFrames) as GeoJSON where the loader finds them.

    Beside a folder's tables they are ``<path>/<layer>.geojson``; beside a workbook
    ``book.xlsx`` they are ``book.<layer>.geojson`` (as ``book.policy.toml``).

    Returns
    -------
    list of Path
        The files written.
    """
    out = []
    for name, frame in layers.items():
        if path.suffix.lower() == ".xlsx":
            target = path.with_name(f"{path.stem}.{name}.geojson")
        else:
            path.mkdir(parents=True, exist_ok=True)
            target = path / f"{name}.geojson"
        target.unlink(missing_ok=True)  # the GeoJSON driver does not overwrite
        frame.to_file(target, driver="GeoJSON")
        out.append(target)
    return out
