"""Node data as the one home of node-specific numbers (issue 15, items 1, 3, 4 and 5).

* circuit fits are read from the node (``tech.circuit_fit``); a missing one is an error naming
  the datum and the node plugin, or, with ``fit_fallback = "nearest"``, the fit of the node
  nearest in log(node) with a warning naming the circuit;
* NeuroSim's node rules read the node's family and the device's circuit branch: a
  third-party resistive cell using the RRAM branch is refused at 7 nm like ``rram``;
* every per-node Param.cpp value can be overridden with ``--set`` (Param.cpp names);
* ``config show`` names each value's source and ``--toml`` loads back to the same values;
* the FinFET branches follow the node's family, not its number (a 16 nm FinFET node gets the
  FinFET layout, where the number-keyed code divided by zero).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import warnings

import pytest

from neurosim.circuit_fits import CircuitFits, FitFallbackWarning
from neurosim.config import load_config
from neurosim.errors import ConfigError, RejectedConfiguration
from neurosim.node_rules import check_node_rules
from neurosim.plugins import get_registry
from neurosim.primitives import formula
from neurosim.primitives.constants import INV, MAX_TRANSISTOR_HEIGHT, MemCellType
from neurosim.technology import Technology


@pytest.fixture(scope="module")
def registry():
    return get_registry()


def _node(registry, name):
    return registry.get("tech", name)


def test_circuit_fit_read_from_node_data(registry):
    node = _node(registry, "7nm")
    tech = Technology.from_node(node)
    # NeuroSim V1.4 MultilevelSenseAmp.cpp, 7 nm CSA: 4832 ohm, log piece a, b
    assert tech.circuit_fit("mlsa", "csa_latency")["pieces"][0] == [4832, "log", -4.67061e-11,
                                                                    1.03708e-09]
    assert tech.circuit_fit("sar", "lstp_power") == {"c1_uw": 0.1061, "c0_uw": 0.8847,
                                                     "a": 0.043555, "b": 2.303}


def test_missing_fit_names_datum_and_plugin(registry):
    node = dataclasses.replace(_node(registry, "32nm"), name="28nm", node_nm=28,
                               circuit_fits={})
    fits = CircuitFits.of(node, distribution="neurosim-tech-28nm 0.2.0")
    with pytest.raises(ConfigError) as info:
        fits.get("sar", "lstp_power")
    assert str(info.value) == (
        "sar: tech = 28nm has no circuit fit circuit_fits.sar.lstp_power in its node data "
        "(neurosim-tech-28nm 0.2.0); add it to the node plugin's node.json, or set "
        "fit_fallback = nearest to borrow the nearest node's fit (with a warning)")


def test_nearest_fallback_warns_and_borrows(registry):
    nodes = [_node(registry, n) for n in registry.names("tech")]
    node = dataclasses.replace(_node(registry, "32nm"), name="28nm", node_nm=28,
                               circuit_fits={})
    fits = CircuitFits.of(node, fallback="nearest", others=nodes)
    with pytest.warns(FitFallbackWarning, match=r"sar: tech = 28nm has no circuit fit "
                                                r"circuit_fits.sar.lstp_power; using the 32nm"):
        got = fits.get("sar", "lstp_power")
    # |ln(28/32)| = 0.134 < |ln(28/22)| = 0.241: the 32 nm fit
    assert got == _node(registry, "32nm").circuit_fits["sar"]["lstp_power"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert CircuitFits.of(_node(registry, "32nm"), fallback="nearest",
                              others=nodes).get("sar", "lstp_power") == got  # own: no warning


def test_fallback_option_is_validated():
    with pytest.raises(ConfigError, match="fit_fallback = 'closest' is not allowed"):
        load_config(overrides=["fit_fallback=closest"])


class ResistiveCell:
    """A third-party resistive device declaring NeuroSim's RRAM circuit branch."""

    name = "taox"
    family = "envm"
    mem_cell_type = MemCellType.RRAM


def test_rram_rule_keyed_on_circuit_branch_and_family(registry):
    cfg = load_config(overrides=["technode=7"], validate=False).replace(device="taox")
    with pytest.raises(RejectedConfiguration, match=r"device = taox \(memcelltype=2\) at tech "
                                                    r"= 7nm \(a finfet node\): taox uses the "
                                                    r"RRAM circuit branch"):
        check_node_rules(cfg, _node(registry, "7nm"), ResistiveCell)
    check_node_rules(cfg.replace(tech="22nm"), _node(registry, "22nm"), ResistiveCell)
    fefet = registry.get("device", "fefet")  # the FeFET branch is allowed at 7 nm
    check_node_rules(cfg.replace(device="fefet"), _node(registry, "7nm"), fefet)
    # a planar node numbered 14 is not refused: the rule reads the family
    planar14 = dataclasses.replace(_node(registry, "22nm"), name="14nm", node_nm=14)
    check_node_rules(cfg.replace(tech="14nm"), planar14, ResistiveCell)


@pytest.mark.parametrize("item,member,value", [
    ("sizingfactor_MUX=50", "sizingfactor_mux", 50.0),
    ("sizingfactor_WLdecoder=2", "sizingfactor_w_ldecoder", 2.0),
    ("switchmatrixsizeratio=0.3", "switchmatrixsizeratio", 0.3),
    ("newswitchmatrixsizeratio=5", "newswitchmatrixsizeratio", 5.0),
    ("buffernumber=2", "buffernumber", 2),
    ("buffersizeratio=3", "buffersizeratio", 3.0),
    ("heightInFeatureSizeSRAM=12", "height_in_feature_size_sram", 12.0),
    ("widthInFeatureSizeSRAM=40", "width_in_feature_size_sram", 40.0),
    ("widthAccessCMOS=2", "width_access_cmos", 2.0),
    ("readVoltage=0.3", "read_voltage", 0.3),
    ("Metal0=24", "metal0", 24.0),
])
def test_param_cpp_values_overridable(item, member, value):
    from neurosim.engine.params import NeuroSimParams

    node = get_registry().get("tech", "7nm")
    base = NeuroSimParams.from_config(load_config(overrides=["technode=7"]), node)
    got = NeuroSimParams.from_config(load_config(overrides=["technode=7", item]), node)
    assert getattr(got, member) == value != getattr(base, member)


def test_wire_width_override_rederives_the_wire_model():
    from neurosim.engine.params import NeuroSimParams
    from neurosim.primitives.wire import wire_model

    node = get_registry().get("tech", "7nm")
    p = NeuroSimParams.from_config(load_config(overrides=["technode=7", "wireWidth=40"]), node)
    w = wire_model(40, 20.0, 28.5, 2e-9, 300)  # 7 nm: Metal0 20 nm, Metal1 28.5 nm, 2 nm
    assert (p.wire_width, p.featuresize) == (40, 40e-9)
    assert p.unit_length_wire_resistance == w.unit_length_wire_resistance
    assert p.wire_length_row == 40e-9 * node.param_cpp.height_in_feature_size_sram


def _cli(*args):
    return subprocess.run([sys.executable, "-c", "from neurosim.cli import main; main()",
                           *args], capture_output=True, text=True, timeout=120)


def test_config_show_sources_and_toml_round_trip(tmp_path):
    f = tmp_path / "user.toml"
    f.write_text("[hardware]\ntechnode = 7\n")
    out = _cli("config", "show", "--json", "--config", str(f), "--set", "sizingfactor_MUX=50")
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    assert shown["sources"]["tech"] == f"file {f}"
    assert shown["sources"]["sizingfactor_mux"] == "--set"
    assert shown["options"]["sizingfactor_mux"] == 50.0
    assert shown["options"]["switchmatrixsizeratio"] == 0.2  # Param.cpp's 7 nm value
    assert shown["sources"]["switchmatrixsizeratio"].startswith(
        "node plugin 7nm (neurosim-tech-7nm ")
    assert shown["sources"]["clk_freq_hz"] == "default"
    assert shown["plugins"]["tech"]["distribution"] == "neurosim-tech-7nm"
    toml = _cli("config", "show", "--toml", "--config", str(f), "--set", "sizingfactor_MUX=50")
    (tmp_path / "back.toml").write_text(toml.stdout)
    again = json.loads(_cli("config", "show", "--json", "--config",
                            str(tmp_path / "back.toml")).stdout)
    assert again["options"] == shown["options"]


def test_finfet_branch_follows_the_family_not_the_number(registry):
    """A 16 nm FinFET (14 nm data relabelled): the FinFET cell layout, as at 14 nm."""
    n14 = _node(registry, "14nm")
    n16 = dataclasses.replace(n14, name="16nm", node_nm=16)
    t14, t16 = Technology.from_node(n14), Technology.from_node(n16)
    assert t16.finfet and t16.nonplanar
    f14, f16 = t14.feature_size, t16.feature_size
    a14 = formula.calculate_gate_area(INV, 1, 8 * f14, 8 * f14, MAX_TRANSISTOR_HEIGHT * f14, t14)
    a16 = formula.calculate_gate_area(INV, 1, 8 * f16, 8 * f16, MAX_TRANSISTOR_HEIGHT * f16, t16)
    # same fins and folds in feature sizes: every length scales with F
    assert a16[1] / f16 == pytest.approx(a14[1] / f14, rel=1e-12)
    assert a16[2] / f16 == pytest.approx(a14[2] / f14, rel=1e-12)
