"""Replay one golden layer case (the wrapper's npz format) through the crossbar model.

A case npz holds ``weight`` (the raw parameter), ``input``, the layer kind (``layer``:
QConv2d/QLinear), its shape ints (``Cin``/``Cout``/``kernel``/``padding``/``stride`` or the
weight shape for linear layers) and every constructor setting under the wrapper's name
(``wl_input``, ``cellBit``, ``subArray``, ``ADCprecision``, ``parallelRead``, ...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NeuroSimError

#: wrapper setting name -> neurosim.nn layer keyword
SETTING_NAMES = {"wl_input": "wl_input", "wl_activate": "wl_activate", "wl_error": "wl_error",
                 "wl_weight": "wl_weight", "inference": "inference",
                 "onoffratio": "onoffratio", "cellBit": "cell_bit", "subArray": "sub_array",
                 "ADCprecision": "adc_precision", "vari": "vari", "t": "t", "v": "v",
                 "detect": "detect", "target": "target", "model": "model",
                 "parallelRead": "parallel_read"}


def load_case(path: str | Path) -> dict[str, Any]:
    """The arrays and settings of a case file (clear error for a missing/broken file)."""
    p = Path(path)
    if not p.is_file():
        raise NeuroSimError(f"{p}: no such case file")
    try:
        with np.load(p, allow_pickle=False) as d:
            data = {k: d[k] for k in d.files}
    except Exception as exc:  # zip / format errors
        raise NeuroSimError(f"{p}: not a readable npz case file ({exc})") from None
    for key in ("weight", "input", "layer"):
        if key not in data:
            raise NeuroSimError(f"{p}: missing array {key!r}; expected the golden layer-case "
                                "format (weight, input, layer, settings)")
    from ..validation import check_replay_case

    check_replay_case(p, data)  # NaN inputs, ADCprecision=0, ...: refused (issue 16)
    return data


def build_layer(case: dict[str, Any]) -> Any:
    """The QConv2d/QLinear of a case with its settings and weight."""
    import torch

    from ..nn import QConv2d, QLinear

    settings = {}
    for src, dst in SETTING_NAMES.items():
        if src in case:
            v = case[src].item() if hasattr(case[src], "item") else case[src]
            settings[dst] = str(v) if src == "model" else v
    kind = str(case["layer"])
    w = torch.from_numpy(np.asarray(case["weight"], dtype=np.float32))
    if kind == "QConv2d":
        cout, cin, kh, kw = w.shape
        layer = QConv2d(cin, cout, (kh, kw), stride=int(case.get("stride", 1)),
                        padding=int(case.get("padding", 0)), bias=False, name="replay",
                        **settings)
    elif kind == "QLinear":
        cout, cin = w.shape
        layer = QLinear(cin, cout, bias=False, name="replay", **settings)
    else:
        raise NeuroSimError(f"case layer {kind!r}: expected QConv2d or QLinear")
    with torch.no_grad():
        layer.weight.copy_(w)
    if "scale" in case and float(case["scale"]) != float(layer.scale):
        raise NeuroSimError(f"case scale {float(case['scale'])} differs from the layer's WAGE "
                            f"scale {layer.scale}")
    return layer.eval()


def replay(case: dict[str, Any], mode: str = "parity", device: str = "cpu",
           seed: int | None = None, capture_preact: bool = False,
           ties: tuple[str, str] = ("exact", "exact"), arithmetic: str = "exact") -> Any:
    """Run the case's layer on its input through :class:`CrossbarModel`; returns the output
    (numpy float32) or ``(output, preact)`` with ``capture_preact`` (``preact`` = the
    tensor passed to the final activation quantizer, i.e. ``y/scale``). ``arithmetic``:
    :class:`CrossbarModel`'s partial sums ("exact" or "wrapper-float32")."""
    import torch

    from .crossbar import CrossbarModel

    layer = build_layer(case).to(device)
    if seed is None:
        seed = int(case.get("torch_seed", 0))
    layer.hardware = CrossbarModel(mode=mode, seed=seed, ties=ties, arithmetic=arithmetic)
    x = torch.from_numpy(np.asarray(case["input"], dtype=np.float32)).to(device)
    pre: list = []
    if capture_preact:
        inner = layer.compute

        def compute(xx, ww):
            y = inner(xx, ww)
            pre.append((y / layer.scale).detach().cpu().numpy())
            return y

        layer.compute = compute  # instance attribute shadows the method
    with torch.no_grad():
        out = layer(x).detach().cpu().numpy().astype(np.float32)
    return (out, pre[0]) if capture_preact else out
