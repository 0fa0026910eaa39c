"""A sigmoid activation (``relu = false``) whose look-up table the chip's cell cannot sense.

SRAM table on an eNVM chip:

NeuroSim V1.4 builds the sigmoid look-up table as SRAM (``Activationtype = 1``) whose sense
amplifier reads the cell's ``minSenseVoltage``, which it sets for SRAM cells only: an eNVM
cell keeps 0, so the amplifier's regeneration time is ``tau * log(vdd / 0)``, infinite.
Before: ``ZeroDivisionError`` in the sense amplifier, exit 1 (internal error).

RRAM table (``Activationtype = 0``) on an SRAM chip: the table's voltage sense amplifier
divides the read voltage by the cell's on/off resistances, which NeuroSim V1.4 leaves at 0
for an SRAM cell (``Vr/0 - Vr/0``: NaN). Before: ``ZeroDivisionError``, exit 1."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input_cli import assert_error, neurosim  # noqa: E402


@pytest.mark.parametrize("device", ["rram", "fefet"])
def test_envm_sigmoid_sram_table_refused_with_reason(tmp_path: Path, device: str) -> None:
    out = tmp_path / "o.json"
    proc = neurosim("estimate", "-n", "lenet", "--set", f"device={device}", "--set", "relu=0",
                    "--quiet", "--json", str(out))
    assert_error(proc, "relu = false", "activation_sram", "minSenseVoltage")
    assert not out.exists()


@pytest.mark.parametrize("extra", ["Activationtype=0", "compat_bugs=0"])
def test_envm_sigmoid_alternatives_estimate(tmp_path: Path, extra: str) -> None:
    """The two ways out the message names give finite figures."""
    out = tmp_path / "o.json"
    proc = neurosim("estimate", "-n", "lenet", "--set", "device=rram", "--set", "relu=0",
                    "--set", extra, "--quiet", "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    chip = json.loads(out.read_text())["chip"]
    assert math.isfinite(chip["read_latency_s"]) and chip["read_latency_s"] > 0


def test_sense_amp_zero_margin_is_infinite_latency() -> None:
    """``log(vdd / 0)`` is +inf in C++; the sense amplifier returns it instead of raising."""
    from neurosim.testing.reference import make_ctx

    ctx = make_ctx(22)
    for margin_v, expected in ((0.0, math.inf), (0.1, None)):
        amp = ctx.circuit("sense_amp")(ctx)
        amp.initialize(8, False, margin_v, 1e-6, 1e9, 8)
        amp.calculate_area(0, 8e-6, 0)  # sets the load capacitance
        amp.calculate_latency(1)
        if expected is None:
            assert 0 < amp.read_latency < 1e-9
        else:
            assert amp.read_latency == expected


def test_sram_chip_rram_table_refused_with_reason(tmp_path: Path) -> None:
    out = tmp_path / "o.json"
    proc = neurosim("estimate", "-n", "lenet", "--set", "relu=0", "--set", "Activationtype=0",
                    "--quiet", "--json", str(out))
    assert_error(proc, "relu = false", "activation_sram = false", "SRAM chip")
    assert not out.exists()


def test_voltage_sense_amp_without_resistances_is_nan() -> None:
    """IEEE arithmetic as in the C++ (``Vr/0 - Vr/0`` is NaN) instead of raising; a cell with
    resistances keeps its finite latency."""
    from neurosim.testing.reference import make_ctx

    ctx = make_ctx(22)
    for ron, roff in ((0.0, 0.0), (1e5, 1.7e6)):
        ctx.cell.res_mem_cell_on, ctx.cell.res_mem_cell_off = ron, roff
        vsa = ctx.circuit("voltage_sense_amp")(ctx)
        vsa.initialize(8, 1e9)
        vsa.calculate_unit_area()  # sets the precharge resistance and loads
        vsa.calculate_latency(0, 1)
        if ron:
            assert 0 < vsa.read_latency < 1e-6
        else:
            assert math.isnan(vsa.read_latency)
