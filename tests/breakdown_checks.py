"""Checks that a result's breakdowns add up to their totals (issue 17, item 3), shared by
``test_breakdown_sums.py`` (one case of each kind) and the golden parity test (every case).
"""

from __future__ import annotations

import math
from typing import Any

from neurosim.outputs import area_breakdown, energy_breakdown, latency_breakdown

CATEGORIES = ("array", "adc", "accum", "ic", "other")


def check_breakdowns(res: Any, golden: dict[str, Any], sync_data_transfer: bool) -> None:
    """The area parts (NeuroSim's five + the subarray white space) sum to the chip area;
    the white space is exactly what the C++ breakdown leaves out of its chip area (except
    with ``sync_data_transfer``, where NeuroSim's categories count other tiles than its
    total and the rest is ``unaccounted``); energy and latency parts sum to their totals."""
    chip = res.chip.to_json()
    parts = area_breakdown(res)
    assert math.isclose(math.fsum(parts.values()), chip["area_m2"], rel_tol=1e-9)
    g = golden["chip"]
    left_out = g["area_m2"] - math.fsum(g[f"area_{k}_m2"] for k in CATEGORIES)
    if sync_data_transfer:
        assert parts["empty"] > 0 and "unaccounted" in parts
    else:
        # golden figures have 6 significant digits: the difference is good to the sum of
        # their rounding errors (half a unit in the 6th digit of each of the six figures)
        rounding = math.fsum(_half_unit_6th_digit(g[k]) for k in
                             ["area_m2"] + [f"area_{c}_m2" for c in CATEGORIES])
        assert math.isclose(parts["empty"], left_out, rel_tol=1e-4,
                            abs_tol=rounding), (parts["empty"], left_out, rounding)
        assert "unaccounted" not in parts
    assert all(v >= 0 for v in parts.values()), parts
    for fig in [chip] + [layer.to_json() for layer in res.layers]:
        e = energy_breakdown(fig)
        assert math.isclose(math.fsum(e.values()), fig["read_energy_j"], rel_tol=1e-9)
    for layer in res.layers:
        t = latency_breakdown(layer.to_json())
        assert math.isclose(math.fsum(t.values()), layer.to_json()["read_latency_s"],
                            rel_tol=1e-9)


def _half_unit_6th_digit(x: float) -> float:
    """The largest rounding error of ``x`` printed with 6 significant digits."""
    return 0.0 if x == 0 else 0.5 * 10.0 ** (math.floor(math.log10(abs(x))) - 5)
