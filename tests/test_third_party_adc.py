"""A third-party ADC replaces ours through configuration alone.

The toy plugin below registers an ADC named ``toy`` (our SAR ADC with twice its comparator
area, as a researcher's modified design might be). Selecting it with ``adc = "toy"`` changes the
chip's ADC area (every ADC instance doubles) and leaves the array area alone; the golden ``micro_sram_t22_sar`` case anchors the SAR numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from neurosim import hookimpl
from neurosim.config import load_config
from neurosim.engine.context import build_context
from neurosim.engine.flow import estimate_from_files, estimate
from neurosim.engine.traces import read_input_trace, read_network_csv, read_weight_trace
from neurosim.plugins import PluginHost

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402

CASE = case_by_id("micro_sram_t22_sar")


class ToyADCPlugin:
    """What a third-party distribution's plugin module would hold."""

    @staticmethod
    @hookimpl
    def neurosim_register_peripherals(register):
        from neurosim.plugins import get_registry

        sar = get_registry().get("peripheral", "sar", role="adc")

        class ToyADC(sar):
            """SAR ADC whose layout is twice as large."""

            def calculate_area(self, *args, **kwargs):
                out = super().calculate_area(*args, **kwargs)
                self.area *= 2
                self.height *= 2
                return out

        register("adc", "toy", ToyADC, description="test ADC: SAR with doubled area")


@pytest.fixture(scope="module")
def files():
    paths = trace_files(CASE)
    return paths[0::2], paths[1::2]


def run(files, registry=None, **overrides):
    config = load_config(overrides={"synapseBit": 8, "numBitInput": 8, **overrides})
    layers = read_network_csv(network_path(CASE))
    weights = [read_weight_trace(w, l) for w, l in zip(files[0], layers)]
    inputs = [read_input_trace(i, l, 8) for i, l in zip(files[1], layers)]
    ctx = build_context(config, registry)
    return estimate(config, layers, weights, inputs, ctx=ctx).to_json()


def test_toy_adc_selected_by_config(files):
    host = PluginHost()
    host.load_entry_points()
    host.register_plugin(ToyADCPlugin, "neurosim-peripheral-toy-adc", version="0.0.1")
    host.collect()
    assert host.registry.entry("peripheral", "toy", role="adc").distribution == \
        "neurosim-peripheral-toy-adc"

    sar = run(files, adc="sar")
    # the SAR numbers are NeuroSim's own (golden case micro_sram_t22_sar)
    golden = CASE["golden"]["chip"]
    assert sar["chip"]["area_adc_m2"] == pytest.approx(golden["area_adc_m2"], rel=1e-4)

    toy = run(files, registry=host.registry, adc="toy")
    # every converter doubles; the chip's ADC figure also holds the ADC-side wiring it shares
    assert 1.5 * sar["chip"]["area_adc_m2"] < toy["chip"]["area_adc_m2"] \
        <= 2 * sar["chip"]["area_adc_m2"]
    assert toy["chip"]["area_array_m2"] == pytest.approx(sar["chip"]["area_array_m2"], rel=1e-9)
    assert toy["chip"]["area_m2"] > sar["chip"]["area_m2"]


def test_unknown_adc_names_installed_ones():
    from neurosim.errors import UnknownComponentError

    config = load_config(overrides={"adc": "flash"})
    with pytest.raises(UnknownComponentError, match="Installed: mlsa, sar"):
        build_context(config).circuit("adc")
