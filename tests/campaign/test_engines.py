"""The same campaign on the local pool and on a local Ray instance gives the same plans."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import ray

from planner.campaign import run_campaign
from planner.campaign.run import CampaignResult
from planner.errors import InputError

ROUNDS = 3  # as in conftest.local_run


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[None]:
    """A small Ray instance on this machine: 2 CPUs, 100 MB object store."""
    ray.init(
        num_cpus=2,
        object_store_memory=100 * 1024**2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
    )
    try:
        yield
    finally:
        ray.shutdown()


def test_local_and_ray_engines_give_identical_plans(
    ray_instance: None,
    district: Path,
    local_run: tuple[CampaignResult, Path],
    tmp_path: Path,
) -> None:
    local, local_out = local_run
    on_ray = run_campaign(
        district, tmp_path / "ray", rounds=ROUNDS, engine="ray", seed=3
    )
    assert on_ray.engine == "ray"
    assert ray.is_initialized()  # the engine used the test's instance and left it up
    digests = {(o.street, r.round): r.digest for o in local.outcomes for r in o.rounds}
    assert {
        (o.street, r.round): r.digest for o in on_ray.outcomes for r in o.rounds
    } == digests
    for o in local.outcomes:
        for r in o.rounds:
            rel = Path(r.folder)
            for name in (
                "assignments.csv",
                "home_visits.csv",
                "staff.csv",
                "sites.csv",
            ):
                assert (local_out / rel / name).read_bytes() == (
                    tmp_path / "ray" / rel / name
                ).read_bytes(), (rel, name)
    for name in ("transfers.csv", "stock_by_day.csv"):
        assert (local_out / name).read_bytes() == (tmp_path / "ray" / name).read_bytes()


def test_one_worker_gives_the_same_plans_as_two(
    district: Path, local_run: tuple[CampaignResult, Path], tmp_path: Path
) -> None:
    local, _ = local_run
    alone = tmp_path / "s01"  # same folder name, so the same seed
    shutil.copytree(district / "s01", alone)
    shutil.copy(district / "policy.toml", alone / "policy.toml")
    one = run_campaign(alone, tmp_path / "one", rounds=ROUNDS, workers=1, seed=3)
    # a street's seed comes from the campaign seed and its folder name only
    assert [r.digest for r in one.outcomes[0].rounds] == [
        r.digest for r in next(o for o in local.outcomes if o.street == "s01").rounds
    ]


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [
        ({"engine": "spark"}, "--engine"),
        ({"workers": 0}, "--workers"),
        ({"address": "127.0.0.1:6379"}, "--address"),
    ],
)
def test_bad_engine_options_are_input_errors(
    district: Path, tmp_path: Path, kwargs: dict[str, object], where: str
) -> None:
    with pytest.raises(InputError) as err:
        run_campaign(district, tmp_path / "x", rounds=1, **kwargs)  # type: ignore[arg-type]
    assert err.value.issues[0].file == where


def test_a_two_node_ray_cluster_by_address_gives_the_same_plans(
    district: Path, local_run: tuple[CampaignResult, Path], tmp_path: Path
) -> None:
    """`planner campaign --engine ray --address` on a real cluster of two Ray nodes
    (two raylets with a CPU each, started here by Ray's own cluster utility) plans
    every street-round exactly as the local pool does."""
    from ray.cluster_utils import Cluster

    local, _ = local_run
    cluster = Cluster(
        initialize_head=True,
        head_node_args={
            "num_cpus": 1,
            "include_dashboard": False,
            "object_store_memory": 100 * 1024**2,
        },
    )
    try:
        cluster.add_node(num_cpus=1, object_store_memory=100 * 1024**2)
        cluster.wait_for_nodes()
        out = tmp_path / "cluster"
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "planner",
                "campaign",
                str(district),
                "--rounds",
                str(ROUNDS),
                "--seed",
                "3",
                "--out",
                str(out),
                "--engine",
                "ray",
                "--address",
                cluster.address,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"},
            timeout=600,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        alive = [n for n in cluster.list_all_nodes() if n.remaining_processes_alive()]
        assert len(alive) == 2
    finally:
        cluster.shutdown()
    summary = json.loads((out / "campaign.json").read_text(encoding="utf-8"))
    assert summary["engine"] == "ray"
    got = {
        (s["street"], r["round"]): r["plan_sha256"]
        for s in summary["streets"]
        for r in s["rounds"]
    }
    assert got == {
        (o.street, r.round): r.digest for o in local.outcomes for r in o.rounds
    }
