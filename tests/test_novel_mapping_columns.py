"""A novel-mapped layer whose PEs read more weight columns than NeuroSim's tile holds.

``ChipCalculatePerformance`` gives each novel-mapped tile ``int(Cout*cps)/tiles`` columns a
row (``ReshapeArray``) while its PEs read ``min(PE size, columns left)`` of them: DenseNet40's
layer 39 (48 x 3 x 3 -> 132, cellBit 2: 528 columns, two tiles of 264, PEs of 512) reads 248
columns past each row's vector. For an eNVM cell those values enter the ADC energy, so the
C++ figures of that layer follow its heap layout (helper-31's C++ run: ADC energy 1.2e-4
from ours, every other figure within 1e-4). The estimate says so, once per layer; SRAM
(whose reads count activated rows only) does not need to.
"""

from __future__ import annotations

import warnings

import numpy as np

from neurosim.commands.compat import compat_config
from neurosim.engine.flow import estimate
from neurosim.engine.traces import LayerSpec

LAYERS = [LayerSpec(8, 8, 48, 3, 3, 132, True, 1), LayerSpec(1, 1, 132, 1, 1, 10, False, 1)]


def _traces(seed: int = 3):
    rng = np.random.default_rng(seed)
    weights = [np.round(rng.uniform(-1, 1, (s.weight_rows, s.cout)) * 128) / 128
               for s in LAYERS]
    inputs = [(rng.random((s.weight_rows, s.num_in_vector * 8)) < 0.4).astype(np.uint8)
              for s in LAYERS]
    return weights, inputs


def _notices(params: list[str]) -> list[str]:
    weights, inputs = _traces()
    cfg = compat_config(8, 8, 128, 128, params)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = estimate(cfg, LAYERS, weights, inputs)
    assert res.to_json()["performance"]["tops_per_w"] > 0
    return [str(w.message) for w in caught if "novel mapping" in str(w.message)]


def test_enVM_layer_reading_past_its_tile_is_named() -> None:
    # before: nothing said that this layer's C++ figures rest on undefined behaviour
    found = _notices(["memcelltype=2", "cellBit=2", "technode=130"])
    assert len(found) == 1, found
    assert found[0].startswith("layer 1:") and "264" in found[0] and "512" in found[0]


def test_sram_reads_no_stored_value_so_no_notice() -> None:
    assert _notices(["memcelltype=1"]) == []


def test_no_notice_where_the_tile_holds_what_its_pes_read() -> None:
    # Cout 128, cellBit 2: 512 columns, one tile of 512, PEs of 512
    layers = [LayerSpec(8, 8, 48, 3, 3, 128, True, 1), LAYERS[1]]
    rng = np.random.default_rng(5)
    weights = [np.round(rng.uniform(-1, 1, (s.weight_rows, s.cout)) * 128) / 128
               for s in [layers[0], LayerSpec(1, 1, 128, 1, 1, 10, False, 1)]]
    layers[1] = LayerSpec(1, 1, 128, 1, 1, 10, False, 1)
    inputs = [(rng.random((s.weight_rows, s.num_in_vector * 8)) < 0.4).astype(np.uint8)
              for s in layers]
    cfg = compat_config(8, 8, 128, 128, ["memcelltype=2", "cellBit=2", "technode=130"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        estimate(cfg, layers, weights, inputs)
    assert not [w for w in caught if "novel mapping" in str(w.message)]


def test_cell_bit_1_names_its_tile_width() -> None:
    # 132 x 8 = 1056 columns: three tiles of 352, PEs of 512
    found = _notices(["memcelltype=2", "cellBit=1", "technode=130"])
    assert len(found) == 1 and "352" in found[0]


def test_sweep_worker_prints_the_notice_as_one_line(tmp_path) -> None:
    # a sweep's spawned workers printed Python's two-line warning format (file path and
    # source line) before; they print the single run's Notice line
    import subprocess
    import sys
    from pathlib import Path

    from neurosim.engine.traces import format_input_trace, format_weight_trace

    weights, inputs = _traces()
    traces = tmp_path / "traces"
    traces.mkdir()
    rows = "".join(",".join(str(int(v)) for v in s.as_row()) + "\n" for s in LAYERS)
    (traces / "NetWork.csv").write_text(rows)
    names = []
    for k, (w, x) in enumerate(zip(weights, inputs)):
        (traces / f"w{k}.csv").write_bytes(format_weight_trace(w))
        (traces / f"i{k}.csv").write_bytes(format_input_trace(x))
        names += [f"w{k}.csv", f"i{k}.csv"]
    (traces / "trace_command.sh").write_text(
        "#!/bin/sh\nexec neurosim compat NetWork.csv 8 8 128 128 " + " ".join(names) + ' "$@"\n')
    spec = tmp_path / "spec.toml"
    spec.write_text(f'traces = "{traces}"\n[base]\ndevice = "rram"\ncell_bits = 2\n'
                    "[grid]\ntechnode = [130, 90]\n")
    exe = Path(sys.executable).with_name("neurosim")
    proc = subprocess.run([str(exe), "sweep", "run", str(spec), "--out", str(tmp_path / "out"),
                           "--workers", "2", "--quiet"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "UserWarning" not in proc.stderr and "warnings.warn" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if "novel mapping" in ln]
    assert lines and all(ln.startswith("Notice: layer 1:") for ln in lines), proc.stderr
