"""neurosim.nn: WAGE quantizers and layers against the upstream wrapper's outputs.

References: the wrapper's layer cases ``accuracy/cases/wage_*_inf0.npz`` (inference=0
forward of QConv2d / QLinear run by the original wrapper, see accuracy/README.md) and hand
calculations of the quantizer formulas.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neurosim.nn import C, Q, QConv2d, QLinear, FConv2d, FLinear, float_range_quantize, \
    set_hardware, wage_init_, wage_quantize_f  # noqa: E402
from neurosim.testing.golden import find_golden  # noqa: E402


def test_q_rounds_half_to_even():
    # 8 bits: grid 1/128; x*128 = 0.5, 1.5, 2.5, -0.5, -1.5 -> 0, 2, 2, -0, -2
    x = torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5]) / 128
    assert (Q(x, 8) * 128).tolist() == [0.0, 2.0, 2.0, 0.0, -2.0]
    assert Q(torch.tensor([0.3, -0.7]), 1).tolist() == [1.0, -1.0]  # sign for 1 bit


def test_c_and_activation_quantizer_clip_to_the_grid():
    x = torch.tensor([1.5, -1.5, 0.99, 0.0041])
    # clip to +-127/128; 0.99 < 127/128 stays
    assert C(x, 8).tolist() == [127 / 128, -127 / 128, x[2].item(), x[3].item()]
    # WAGEQuantizer_f: clip then round; 0.99*128 = 126.72 -> 127, 0.0041*128 = 0.5248 -> 1
    assert wage_quantize_f(x, 8).tolist() == [127 / 128, -127 / 128, 127 / 128, 1 / 128]


@pytest.mark.parametrize("shape,scale", [((128, 3, 3, 3), 2.0), ((128, 128, 3, 3), 16.0),
                                         ((512, 512, 3, 3), 32.0), ((1024, 8192), 32.0),
                                         ((10, 1024), 16.0)])
def test_wage_init_scale_matches_the_wrappers_vgg8_scales(shape, scale):
    # scales of the wrapper's seed-0 VGG8 (vgg8_seed0_state_dict.pt 'scale')
    w = torch.empty(shape)
    assert wage_init_(w, 8, factor=1.0) == scale
    assert float(w.abs().max()) <= 127 / 128


def test_float_range_quantize_levels():
    # 2 bits: 3 levels over [min, max] = [-1, 2] -> step 1; 0.4 -> floor(1.4/3*3+.5)/3
    x = torch.tensor([-1.0, 0.4, 0.6, 2.0])
    assert float_range_quantize(x, 2).tolist() == pytest.approx([-1.0, 0.0, 1.0, 2.0])


def _case(name: str):
    p = find_golden(f"accuracy/cases/{name}.npz")
    if p is None:
        pytest.skip(f"golden layer case {name} not available")
    return np.load(p)


def _build(d):
    settings = dict(wl_input=int(d["wl_input"]), wl_activate=int(d["wl_activate"]),
                    wl_error=int(d["wl_error"]), wl_weight=int(d["wl_weight"]), inference=0,
                    name="golden", model=str(d["model"]))
    torch.manual_seed(0)
    if str(d["layer"]) == "QConv2d":
        layer = QConv2d(int(d["Cin"]), int(d["Cout"]), int(d["kernel"]),
                        stride=int(d["stride"]), padding=int(d["padding"]), **settings)
    else:
        w = d["weight"]
        layer = QLinear(w.shape[1], w.shape[0], **settings)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(d["weight"]))
    return layer


@pytest.mark.parametrize("name", ["wage_conv_inf0", "wage_lin_inf0", "wage_first_inf0"])
def test_layer_forward_is_bit_identical_to_the_wrapper(name):
    d = _case(name)
    layer = _build(d)
    assert layer.scale == float(d["scale"])
    with torch.no_grad():
        out = layer(torch.from_numpy(d["input"]))
    np.testing.assert_array_equal(out.numpy(), d["output"])


def test_hardware_hook_receives_the_quantized_weight_and_replaces_the_product():
    d = _case("wage_conv_inf0")
    layer = _build(d)
    seen = {}

    class Recorder:
        def conv2d(self, lay, x, weight):
            seen["weight"] = weight.detach().clone()
            seen["settings"] = lay.settings()
            return torch.nn.functional.conv2d(x, weight, None, lay.stride, lay.padding)

    assert set_hardware(layer, Recorder()) == 1
    with torch.no_grad():
        out = layer(torch.from_numpy(d["input"]))
    np.testing.assert_array_equal(out.numpy(), d["output"])
    np.testing.assert_array_equal(seen["weight"].numpy(), d["weight_eff"])
    assert seen["settings"]["wl_weight"] == 8 and seen["settings"]["sub_array"] == 128


def test_fp_layers_forward_is_the_plain_product():
    torch.manual_seed(3)
    conv, lin = FConv2d(4, 5, 3, padding=1), FLinear(6, 2)
    x, v = torch.randn(2, 4, 5, 5), torch.randn(3, 6)
    with torch.no_grad():
        assert torch.equal(conv(x), torch.nn.functional.conv2d(x, conv.weight, None, 1, 1))
        assert torch.equal(lin(v), v @ lin.weight.t())


@pytest.mark.parametrize("bits", [1, 4, 8, 16])
def test_inplace_effective_weight_equals_the_literal_formula(bits):
    from neurosim.nn.layers import _effective_weight

    torch.manual_seed(bits)
    w = torch.nn.Parameter(torch.randn(64, 50) * 0.3)  # off-grid values
    literal = _effective_weight(w, 16.0, bits)  # grad enabled: the wrapper's expression
    with torch.no_grad():
        fast = _effective_weight(w, 16.0, bits)
    assert torch.equal(literal.detach(), fast)
