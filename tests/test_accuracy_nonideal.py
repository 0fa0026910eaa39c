"""Non-idealities (issue 14, NeuroSim V1.5's and more): measured statistics against the
requested ones over large arrays, hand-calculated noise of a read, the degenerate cases
(every option off = V1.4's output bit for bit) and the direction on a trained network."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from click.testing import CliRunner
from neurosim.accuracy.crossbar import CrossbarModel, attach
from neurosim.accuracy.nonideal import (
    NonIdealities,
    from_config,
    load_mem_states,
    load_output_noise,
)
from neurosim.accuracy.nonideal_crossbar import NonIdealLayer
from neurosim.accuracy.nonideal_ops import adc_output_noise, stuck_masks
from neurosim.cli import cli
from neurosim.config import load_config
from neurosim.errors import ConfigError, NeuroSimError
from neurosim.nn import QConv2d, QLinear


def _layer(**kw):
    """A bare layer record for ``CrossbarModel.linear`` (the pre-activation, unquantized)."""
    d = dict(name="L", wl_input=1, wl_weight=1, inference=1, onoffratio=10.0, cell_bit=1,
             sub_array=64, parallel_read=None, adc_precision=12, vari=0.0, t=0.0, v=0.0,
             detect=0, target=0.0, model="VGG8", mode="WAGE", bias=None)
    d.update(kw)
    return SimpleNamespace(**d)


def _conv(seed=0, **kw):
    torch.manual_seed(seed)
    return QConv2d(32, 16, 3, padding=1, name="Conv1_", inference=1, model="VGG8",
                   cell_bit=2, sub_array=16, adc_precision=5, **kw)


def _x(seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.round(torch.rand(2, 32, 6, 6, generator=g) * 255) / 255


def _run(layer, x, ni, path="full", seed=3, **kw):
    layer.hardware = CrossbarModel(path=path, nonideal=ni, seed=seed, **kw)
    with torch.no_grad():
        return layer(x)


# ---- degenerate cases ---------------------------------------------------------------------
@pytest.mark.parametrize("path", ["full", "simplified"])
def test_options_off_are_v14_bit_for_bit(path):
    """Default settings dispatch to V1.4's model: the same tensor bit for bit; the
    non-ideal path itself with nothing on (variation_mode d2d, variation 0; stuck rate 0)
    computes the same values too."""
    c, x = _conv(), _x()
    base = _run(c, x, None, path)
    for ni in (NonIdealities(), NonIdealities(stuck_at_0_rate=0.0, read_noise=0.0),
               NonIdealities(variation_mode="d2d")):
        assert torch.equal(_run(c, x, ni, path), base)


def test_linear_mem_states_equal_the_on_off_map(tmp_path):
    """A mem_states table with linear means (ratio 10, std 0) gives the on/off-ratio map's
    output bit for bit (cell units 2(R-1)mu_d/mu_0 = 2(r-1)d + 2(R-1))."""
    f = tmp_path / "mem.csv"
    f.write_text("\ufeffstates,mean,std\r\n0,1,0\r\n1,4,0\r\n2,7,0\r\n3,10,0\r\n")
    states = load_mem_states(str(f), 2)
    c, x = _conv(), _x()
    assert torch.equal(_run(c, x, NonIdealities(mem_states=states)), _run(c, x, None))


# ---- statistics over large arrays ---------------------------------------------------------
def test_stuck_at_rates_measured():
    ni = NonIdealities(stuck_at_0_rate=0.03, stuck_at_1_rate=0.07)
    n = 1 << 20
    s0, s1 = stuck_masks((n,), ni, torch.Generator().manual_seed(5), torch.device("cpu"))
    for mask, rate in ((s0, 0.03), (s1, 0.07)):
        meas = mask.double().mean().item()
        assert abs(meas - rate) < 5 * math.sqrt(rate * (1 - rate) / n), (meas, rate)
    assert not (s0 & s1).any()


def test_stuck_cells_take_the_extreme_states():
    """Through the programmed array: a cell stuck at 0 reads c(0), at 1 reads c(levels-1),
    at the requested rates; the fixed map is the same for a layer and seed, another for
    another seed."""
    p = SimpleNamespace(cell_bits=2, ratio=10.0, vari=0.0, t=0.0, v=0.0, detect=1)
    ni = NonIdealities(stuck_at_0_rate=0.1, stuck_at_1_rate=0.2)
    model = SimpleNamespace(seed=7)
    lay = NonIdealLayer(model, p, ni, [4, 4])
    shape = (4, 128, 2, 65)
    prog = lay.program(shape, torch.device("cpu"), "Conv1_")
    digits = torch.ones(4, 128, 2, 64, dtype=torch.float64)
    cells, var = lay.cells(digits, prog, slice(None), None)
    assert var is None
    lo, hi, mid = 2 * 3, 2 * 9 * 3 + 2 * 3, 2 * 9 + 2 * 3  # c(0), c(3), c(1)
    vals = cells[..., :64]
    n = vals.numel()
    for v, rate in ((lo, 0.1), (hi, 0.2), (mid, 0.7)):
        meas = (vals == v).double().mean().item()
        assert abs(meas - rate) < 5 * math.sqrt(rate * (1 - rate) / n), (v, meas)
    again = lay.cells(digits, lay.program(shape, torch.device("cpu"), "Conv1_"),
                      slice(None), None)[0]
    assert torch.equal(cells, again)
    model.seed = 8
    other = lay.cells(digits, lay.program(shape, torch.device("cpu"), "Conv1_"),
                      slice(None), None)[0]
    assert not torch.equal(cells, other)


def test_mem_states_std_measured(tmp_path):
    """Device-to-device draws of a mem_states table: per-state mean and std of the
    programmed cells (in cell units 2(R-1)/mu_0) match the file."""
    f = tmp_path / "mem.csv"
    f.write_text("states,mean,std\n0,1e-6,0.1e-6\n1,4e-6,0.3e-6\n")
    ni = NonIdealities(mem_states=load_mem_states(str(f), 1))
    p = SimpleNamespace(cell_bits=1, ratio=10.0, vari=0.0, t=0.0, v=0.0, detect=1)
    lay = NonIdealLayer(SimpleNamespace(seed=1), p, ni, [2])
    digits = (torch.arange(2 * 256 * 128) % 2).double().reshape(2, 256, 1, 128)
    cells, _ = lay.cells(digits, lay.program((2, 256, 1, 129), torch.device("cpu"), "x"),
                         slice(None), None)
    unit = 2 * 1 / 1e-6  # cell units per siemens
    for s, (mean, std) in enumerate(((1e-6, 0.1e-6), (4e-6, 0.3e-6))):
        v = cells[..., :128][digits == s] / unit
        n = v.numel()
        assert abs(v.mean().item() - mean) < 5 * std / math.sqrt(n)
        assert abs(v.std().item() / std - 1) < 5 / math.sqrt(2 * n)


def test_adc_output_noise_std_measured(tmp_path):
    """Gaussian ADC output noise of sigma 0.7 LSB, rounded: variance sigma^2 + 1/12
    (Sheppard); the per-level table shifts each level by its mean."""
    n = 1 << 20
    idx = torch.full((n,), 15.0, dtype=torch.float64)
    gen = torch.Generator().manual_seed(2)
    out = adc_output_noise(idx, NonIdealities(output_noise_lsb=0.7), 31.0, gen) - 15
    assert abs(out.mean().item()) < 0.005
    assert abs(out.std().item() - math.sqrt(0.49 + 1 / 12)) < 0.005
    f = tmp_path / "noise.csv"
    f.write_text("output,mean,std\n" + "".join(f"{i},{i + 1},0\n" for i in range(33)))
    table = load_output_noise(str(f), 5)
    out = adc_output_noise(idx, NonIdealities(output_noise_table=table), 31.0, gen)
    assert torch.equal(out, torch.full_like(idx, 16.0))


def test_read_noise_std_of_a_read_hand_calculation():
    """Full path, 1-bit inputs and weights, cell_bits 1, r = 10: a weight-1 cell is
    c = 2(r-1) + 2 = 20 units and the reference cell 2 + (r-1) = 11; all 64 rows read, so
    P = 64*20 with std s*20*8 and the reference 64*11 with std s*11*8; the output
    (P - D)/(r-1)/2/2 has std s*8*sqrt(20^2 + 11^2)/36 (12-bit ADC: floor error < 1e-3)."""
    s = 0.05
    layer = _layer()
    x = torch.ones(512, 64)
    w = torch.ones(64, 64)
    hw = CrossbarModel(path="full", nonideal=NonIdealities(read_noise=s), seed=4)
    y = hw.linear(layer, x, w)
    ideal = 64 * (20 - 11) / 9 / 4
    assert abs(y.mean().item() - ideal) < 0.01
    want = s * 8 * math.sqrt(20 ** 2 + 11 ** 2) / 36
    assert abs(y.std().item() / want - 1) < 0.05, (y.std().item(), want)
    # cycle-to-cycle variation of the same sigma is the same physics: the same draws
    hw = CrossbarModel(path="full", nonideal=NonIdealities(variation_mode="c2c"), seed=4)
    assert torch.equal(hw.linear(_layer(vari=s), x, w), y)


def test_read_noise_simplified_path_hand_calculation():
    """Simplified path (one analog read per input vector): the same cells, inputs x = 1,
    weight codes 1 (8-bit weights w = 1 -> code 255: every digit 1 with cell_bits 1):
    std = s*sqrt(sum_k 4^k (20^2 + 11^2)) / ((r-1)(2^8-1))."""
    s = 0.05
    layer = _layer(model="DenseNet40", wl_input=8, wl_weight=8, adc_precision=16)
    x = torch.ones(256, 64)
    w = torch.ones(64, 64)
    hw = CrossbarModel(path="simplified", nonideal=NonIdealities(read_noise=s), seed=4)
    y = hw.linear(layer, x, w)
    want = s * math.sqrt(64 * sum(4 ** k for k in range(8)) * (400 + 121)) / 9 / 255
    assert abs(y.mean().item() - 64) < 0.05
    assert abs(y.std().item() / want - 1) < 0.05, (y.std().item(), want)


# ---- modes and options --------------------------------------------------------------------
def test_variation_modes():
    """d2d: one draw per programmed cell (the same output on every call); per_call (V1.4)
    and c2c: redrawn (calls differ); d2d differs between seeds."""
    c, x = _conv(vari=0.1), _x()
    hw = CrossbarModel(path="full", nonideal=NonIdealities(variation_mode="d2d"), seed=3)
    c.hardware = hw
    with torch.no_grad():
        a, b = c(x), c(x)
        assert torch.equal(a, b)
        hw.reseed(4)
        assert not torch.equal(c(x), a)
    for mode in ("per_call", "c2c"):
        c.hardware = CrossbarModel(path="full", nonideal=NonIdealities(variation_mode=mode),
                                   seed=3)
        with torch.no_grad():
            assert not torch.equal(c(x), c(x))


def test_dac_bits():
    """2-bit DAC: half the reads (ADC ranges), and with a 12-bit ADC the same product as
    1-bit streaming within the ADC's resolution; integer partial sums stay exact, so two
    runs agree bit for bit."""
    torch.manual_seed(0)
    layer = _layer(wl_input=8, wl_weight=8, cell_bit=2)
    x = torch.round(torch.rand(4, 64) * 255) / 255
    w = torch.round((torch.rand(16, 64) * 2 - 1) * 127) / 127
    out = {}
    for dac in (1, 2):
        hw = CrossbarModel(path="full", nonideal=NonIdealities(dac_bits=dac), seed=1)
        out[dac] = hw.linear(layer, x, w)
        out[dac, "ranges"] = hw.stats["adc_ranges"]
        assert torch.equal(out[dac], hw.linear(layer, x, w))
    assert out[2, "ranges"] * 2 == out[1, "ranges"]
    code_x, code_w = torch.round(255 * x), torch.round(255 / 2 * (w + 1))
    ideal = (code_x @ code_w.t() - 127.5 * code_x.sum(1, keepdim=True)) * 2 / 2 ** 16
    for dac in (1, 2):
        assert (out[dac] - ideal).abs().max() < 0.01 * ideal.abs().max()


def test_drift_per_layer_sets_each_layer():
    net = torch.nn.Sequential(QLinear(8, 8, name="a"), QLinear(8, 4, name="b"))
    hw = CrossbarModel(nonideal=NonIdealities(drift_nu_per_layer=(0.01, 0.02)))
    attach(net, hw, {})
    assert (net[0].v, net[1].v) == (0.01, 0.02)
    with pytest.raises(NeuroSimError, match="has 3 values; the network has 2"):
        attach(net, CrossbarModel(nonideal=NonIdealities(drift_nu_per_layer=(1, 2, 3))), {})


def test_config_options_and_v15_names(tmp_path):
    f = tmp_path / "Mem.csv"
    f.write_text("states,mean,std\n0,1e-6,0\n1,1e-5,1e-7\n")
    cfg = load_config((), [f"mem_states_file={f}", "rate_stuck_0=0.01", "rate_stuck_1=0.02",
                           "read_noise=0.03", "output_noise=0.5", "dac_precision=2",
                           "v_list=[0.005,0.01]", "variation_mode=c2c"])
    ni = from_config(cfg.validate_accuracy())
    assert (ni.stuck_at_0_rate, ni.stuck_at_1_rate, ni.read_noise, ni.output_noise_lsb,
            ni.dac_bits, ni.drift_nu_per_layer, ni.variation_mode) == \
        (0.01, 0.02, 0.03, 0.5, 2, (0.005, 0.01), "c2c")
    assert ni.mem_states == ((1e-6, 0.0), (1e-5, 1e-7)) and ni.random()
    bad = [("rate_stuck_0=0.7", "rate_stuck_1=0.5"), ("output_noise=-1",),
           ("dac_precision=9",), ("v_list=a,b",), ("mem_states_file=/no/such.csv",)]
    for items in bad:
        with pytest.raises(ConfigError):
            from_config(load_config((), list(items)).validate_accuracy())


def test_csv_errors_name_file_and_line(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("states,mean,std\n0,1e-6,0\n1,x,0\n")
    with pytest.raises(ConfigError, match=r"m\.csv, line 3: .*'mean'"):
        load_mem_states(str(f), 1)
    f.write_text("states,mean,std\n0,1e-6,0\n")
    with pytest.raises(ConfigError, match="1 states for cell_bits = 1; expected 2"):
        load_mem_states(str(f), 1)
    g = tmp_path / "n.csv"
    g.write_text("output,mean,std\n0,0,0.1\n")
    with pytest.raises(ConfigError, match="no row for ADC level"):
        load_output_noise(str(g), 2)


def test_cli_bad_file_is_one_error_line(tmp_path):
    r = CliRunner().invoke(cli, ["accuracy", "--network", "vgg8", "--data", "random:1",
                                 "--quiet", "--set", "mem_states_file=/no/such/m.csv"])
    assert r.exit_code == 2, r.output
    assert "Error:" in r.output and "mem_states_file" in r.output
    assert "Traceback" not in r.output


def test_device_preset_fills_defaults():
    """device_nonidealities = true: the device plugin's cited figures fill the options left
    at their defaults; an explicit value wins; off (the default): V1.4's values."""
    from neurosim.accuracy.nonideal import apply_device_preset, device_preset

    preset = device_preset("rram")
    assert preset is not None and preset.source
    preset.check()
    cfg = load_config((), ["device=rram"])
    assert apply_device_preset(cfg) == cfg
    on = apply_device_preset(load_config((), ["device=rram", "device_nonidealities=true"]))
    assert (on.stuck_at_0_rate, on.stuck_at_1_rate) == (0.0175, 0.0904)
    mine = apply_device_preset(load_config((), ["device=rram", "device_nonidealities=true",
                                                "rate_stuck_1=0.2"]))
    assert (mine.stuck_at_0_rate, mine.stuck_at_1_rate) == (0.0175, 0.2)


# ---- direction on a trained network -------------------------------------------------------
def _trained_mlp():
    """A small MLP on 4 seeded Gaussian blobs in 16 dimensions: random ReLU features and
    a read-out layer trained by least squares on one-hot targets (closed form, cheap)."""
    g = torch.Generator().manual_seed(0)
    centres = torch.randn(4, 16, generator=g) * 2
    labels = torch.arange(4).repeat(128)
    x = centres[labels] + torch.randn(512, 16, generator=g)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4))
    with torch.no_grad():
        h = torch.cat([net[1](net[0](x)), torch.ones(512, 1)], 1)
        sol = torch.linalg.lstsq(h, torch.eye(4)[labels]).solution  # (33, 4)
        net[2].weight.copy_(sol[:32].t())
        net[2].bias.copy_(sol[32])
    return net.eval(), x, labels


SHIM = dict(inference=1, onoffratio=10.0, cell_bit=2, sub_array=16, adc_precision=6,
            vari=0.0, t=0.0, v=0.0, detect=0, target=0.0, parallel_read=16, wl_input=8,
            wl_activate=8, wl_weight=8, model=None)


@pytest.mark.parametrize("path", ["simplified", "full"])
def test_trained_network_direction(path):
    """Accuracy of a trained network falls as the stuck-at rate and the read noise grow
    (mean over 2 seeds); rate 0 gives the clean hardware predictions bit for bit."""
    net, x, labels = _trained_mlp()

    def run(ni, seed):
        m = __import__("copy").deepcopy(net)
        attach(m, CrossbarModel(path=path, nonideal=ni, seed=seed), SHIM)
        with torch.no_grad():
            return m(x)

    clean = run(None, 0)
    assert (clean.argmax(-1) == labels).float().mean() > 0.95
    assert torch.equal(run(NonIdealities(stuck_at_1_rate=0.0), 0), clean)
    kinds = [("stuck_at_1_rate", (0.01, 0.3))]
    if path == "simplified":  # the full path is ~10x dearer
        kinds.append(("read_noise", (0.05, 1.0)))
    for kind, rates in kinds:
        acc = [np.mean([(run(NonIdealities(**{kind: r}), s).argmax(-1) == labels)
                        .float().mean().item() for s in (1, 2)]) for r in rates]
        assert 1.0 >= acc[0] > acc[1], (kind, acc)
