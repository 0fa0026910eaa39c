"""Issue 16, the validation layer: every option value is finite and inside its physical bound
or refused with a ConfigError naming the option (property tests with hypothesis, and the
issue's examples as a table; each failed before the fix)."""

from __future__ import annotations

import math
from dataclasses import fields

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neurosim.cli import cli
from neurosim.config import Config, load_config
from neurosim.errors import ConfigError
from neurosim.validation import BOUNDS, bound_of, notices

NUMERIC = [f for f in fields(Config)
           if f.type in ("int", "float", int, float) and not isinstance(f.default, bool)]
FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-2**80, max_value=2**80),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "-0", "0x10", "", " ", "1_000", "2**70",
                     "3.5", "true", "1e308", "-1e-320"]),
    st.text(max_size=8),
)


def _assert_valid(cfg: Config) -> None:
    for f in NUMERIC:
        v = getattr(cfg, f.name)
        assert math.isfinite(v), f.name
        b = bound_of(f)
        if b is not None:
            assert b.violated_by(v) is None, (f.name, v)


@FAST
@given(option=st.sampled_from(NUMERIC), value=values)
def test_any_value_is_valid_or_a_config_error(option, value) -> None:
    """Python values (TOML/YAML/JSON) and --set strings alike."""
    for given_value in (value, str(value)):
        try:
            cfg = load_config(overrides={option.name: given_value})
        except ConfigError as exc:
            assert option.name in str(exc) or "option" in str(exc)
            continue
        _assert_valid(cfg)


@FAST
@given(option=st.sampled_from([f for f in NUMERIC if f.name in BOUNDS]),
       data=st.data())
def test_bounds_are_inclusive_as_declared(option, data) -> None:
    b = BOUNDS[option.name]
    lo = b.low if b.low is not None else -1e6
    hi = b.high if b.high is not None else 1e6
    is_int = option.type in ("int", int)
    v = data.draw(st.integers(int(math.ceil(lo)), int(hi)) if is_int
                  else st.floats(lo, hi, allow_nan=False))
    open_edge = (b.low_open and v == b.low) or (b.high_open and v == b.high)
    try:
        cfg = load_config(overrides={option.name: v})
    except ConfigError as exc:  # a combination rule (e.g. rows vs parallel rows) or an edge
        assert open_edge or "must be" not in str(exc) or option.name not in str(exc)
        return
    assert not open_edge
    _assert_valid(cfg)


# ----------------------------------------------------------------------------- the issue's
ISSUE_REJECTED = [
    ("cell_bits=inf", "option cell_bits = inf must be a finite number"),
    ("cell_bits=nan", "option cell_bits = nan must be a finite number"),
    ("accessVoltage=nan", "option access_voltage_v = nan must be a finite number"),
    ("resistanceOn=0", "resistance_on_ohm (NeuroSim: resistanceOn) = 0 ohm must be > 0 ohm"),
    ("resistanceOn=1e308", "resistance_on_ohm (NeuroSim: resistanceOn) = 1e+308 ohm must be <="),
    ("inputtoggle=1e300", "input_toggle (NeuroSim: inputtoggle) = 1e+300 must be <= 1"),
    ("writeVoltage=-5", "write_voltage_v (NeuroSim: writeVoltage) = -5 V must be > 0 V"),
    ("drift_target=5", "drift_target (NeuroSim: target) = 5 must be <= 1"),
    ("numColMuxed=100000", "col_mux (NeuroSim: numColMuxed) = 100000 must be <= 8192"),
    ("numColMuxed=200", "col_mux (NeuroSim: numColMuxed) = 200 exceeds subarray_cols = 128"),
    ("clkFreq=0", "clk_freq_hz (NeuroSim: clkFreq) = 0 Hz must be > 0 Hz"),
    ("seed=-1", "option seed = -1 must be >= 0"),
    (f"seed={2**70}", f"option seed = {2**70} must be <= 4294967295"),
    ("cellBit=16", "cell_bits (NeuroSim: cellBit) = 16 must be <= 8: a memory cell stores"),
    ("algoWeightMin=nan", "option algo_weight_min = nan must be a finite number"),
    ("ADCprecision=0", "adc_bits (NeuroSim: ADCprecision) = 0 must be >= 1"),
    ("peripherals.sens_amp=neurosim", "no peripheral role 'sens_amp' is installed. Did you "
                                      "mean 'sense_amp'"),
]


@pytest.mark.parametrize("item,message", ISSUE_REJECTED)
def test_issue_examples_are_one_error_line(item: str, message: str) -> None:
    r = CliRunner().invoke(cli, ["config", "show", "--set", item])
    assert r.exit_code == 2, r.output
    assert r.output.count("Error:") == 1 and r.output.startswith("Error: ")
    assert message in r.output, r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize("item,notice", [
    ("levelOutput=24", "level_output (levelOutput) = 24 is not a power of 2"),
    ("speedUpDegree=0", "speedup_degree (speedUpDegree) = 0 is computed as NeuroSim does"),
])
def test_neurosim_computes_these_with_a_notice(item: str, notice: str) -> None:
    cfg = load_config(overrides=[item])  # rejected before issue 16
    assert any(notice in n for n in notices(cfg))
    r = CliRunner().invoke(cli, ["config", "show", "--set", item])
    assert r.exit_code == 0 and notice in r.output


def test_defaults_are_inside_every_bound() -> None:
    _assert_valid(Config().validate())
    assert notices(Config()) == []
