"""NeuroSim's floorplan (tiles, speed-up and utilization per layer, chip utilization) for
every golden case, from the network CSV and the mapping options alone (no circuit models)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from neurosim.engine.floorplan import MappingParams, plan
from neurosim.errors import RejectedConfiguration

GOLDEN = Path(__file__).parent / "golden"


def _net(case: dict) -> list[list[float]]:
    """The network's NetWork.csv rows, as recorded with the golden case."""
    return [[float(x) for x in row] for row in case["network_rows"]]


def _params(case: dict) -> MappingParams:
    env, a = case["env"], case["argv"]
    sram = env.get("NS_MEMCELLTYPE", 1) == 1
    cell_bit = 1 if sram else env.get("NS_CELLBIT", 1)
    return MappingParams(num_row_sub_array=a["numRowSubArray"],
                         num_col_sub_array=env.get("NS_NUMCOLSUBARRAY", 128),
                         num_row_per_synapse=1,
                         num_col_per_synapse=math.ceil(a["synapseBit"] / cell_bit),
                         novel_mapping=bool(env.get("NS_NOVELMAPPING", 1)),
                         pipeline=bool(env.get("NS_PIPELINE", 1)),
                         speed_up_degree=env.get("NS_SPEEDUPDEGREE", 8))


CASES = [json.loads(line) for line in (GOLDEN / "cases.jsonl").read_text().splitlines()
         if line.strip()]


@pytest.mark.parametrize("case", [c for c in CASES if c["status"] == "ok"],
                         ids=lambda c: c["id"])
def test_floorplan_matches_neurosim(case: dict) -> None:
    net = _net(case)
    fp = plan(net, _params(case))
    g = case["golden"]["floorplan"]
    assert fp.tiles_per_layer == pytest.approx(g["tiles_per_layer"], rel=1e-5)
    assert fp.speedup_per_layer == pytest.approx(g["speedup_per_layer"], rel=1e-5)
    assert fp.utilization_each_layer == pytest.approx(g["utilization_per_layer"], rel=1e-5)
    assert fp.chip_utilization == pytest.approx(g["chip_utilization"], rel=1e-5)


def test_subarray_too_large_is_rejected() -> None:
    case = next(c for c in CASES if c["id"] == "micro_subarray1024")
    with pytest.raises(RejectedConfiguration, match="too large"):
        plan(_net(case), _params(case))


def test_vgg8_sizes() -> None:
    """VGG8 (the 8 rows of upstream NetWork_VGG8.csv), 8-bit weights, 128x128 subarrays,
    pipeline. Sizes as NeuroSim printed them for golden case vgg8_t22 (1024x1024 CM tile,
    512x512 CM PE, 9x512x512 NM tile); the pipeline speed-up by hand: maxIFM 32 / minIFM 8
    = 4 < 8 (clamped, with NeuroSim's notice), boundIFM = ceil(32/4) = 8, per layer
    ceil((IFM/8)^2) = 16, 16, 4, 4, 1, 1, 1, 1."""
    net = [[32, 32, 3, 3, 3, 128, 0, 1], [32, 32, 128, 3, 3, 128, 1, 1],
           [16, 16, 128, 3, 3, 256, 0, 1], [16, 16, 256, 3, 3, 256, 1, 1],
           [8, 8, 256, 3, 3, 512, 0, 1], [8, 8, 512, 3, 3, 512, 1, 1],
           [1, 1, 8192, 1, 1, 1024, 0, 1], [1, 1, 1024, 1, 1, 10, 0, 1]]
    fp = plan(net, MappingParams(128, 128, 1, 8, True, True, 8))
    assert fp.mark_nm == [0, 1, 1, 1, 1, 1, 0, 0]
    assert fp.num_pe_nm == 9
    assert (fp.desired_tile_size_cm, fp.desired_pe_size_cm, fp.desired_pe_size_nm) == (
        1024, 512, 512)
    assert fp.pipeline_speed_up == [16, 16, 4, 4, 1, 1, 1, 1]
    assert fp.messages
    assert fp.tiles_per_layer == [2, 8, 4, 8, 8, 8, 64, 1]
    assert fp.speedup_per_layer == [16, 16, 4, 4, 2, 1, 1, 8]
