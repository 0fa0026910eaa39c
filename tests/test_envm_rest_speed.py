"""Cheaper weight levels, level index and scaled conductances (issue 11): the same numbers
bit for bit as the straightforward formulas they replace."""

from __future__ import annotations

import numpy as np

from neurosim.engine.array_activity import ColumnModel, _wire_resistance
from neurosim.engine.layer_memory import LayerMemory
from neurosim.engine.weight_mapping import load_weight_memory, weight_levels
from neurosim.primitives.constants import CellAccessType, MemCellType


def _weights(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Random weights in [-1, 1] with the edge cases: the ends, exact half levels, -0.0."""
    w = rng.uniform(-1.0, 1.0, size=shape)
    flat = w.reshape(-1)
    flat[:6] = [-1.0, 1.0, -0.0, 0.0, 1.0 / 256, -3.0 / 256]  # halves of 2^8 levels
    return w


def test_weight_levels_int32_equal_int64() -> None:
    rng = np.random.default_rng(1)
    w = _weights(rng, (300, 257))  # more than one block of weight_levels
    for bits in (1, 4, 8):
        wide = weight_levels(w, bits)
        narrow = weight_levels(w, bits, dtype=np.int32)
        assert wide.dtype == np.int64 and narrow.dtype == np.int32
        assert np.array_equal(wide, narrow)
        # hand check: round(2^(b-1) (f + 1)) half away from zero for the range [-1, 1]
        assert narrow.reshape(-1)[:2].tolist() == [0, 2 ** bits]


def test_weight_levels_int32_falls_back_when_out_of_range() -> None:
    w = np.array([[0.5, 3.0e12], [-0.25, 1.0]])  # 2^8 * ... exceeds int32
    out = weight_levels(w, 8, dtype=np.int32)
    assert out.dtype == np.int64
    assert np.array_equal(out, weight_levels(w, 8))
    assert int(out[0, 1]) == int(128 * (3.0e12 - 1.0) + 256 + 0.5)


def test_layer_memory_from_int32_levels_equals_dense_memory() -> None:
    rng = np.random.default_rng(2)
    w = _weights(rng, (150, 40))
    gmax, gmin = 1 / 6e3, 1 / 6e5

    def cells_of(values: np.ndarray) -> np.ndarray:
        return load_weight_memory(values, synapse_bit=8, cell_bit=2, max_conductance=gmax,
                                  min_conductance=gmin)

    dense = cells_of(w)
    for dtype in (np.int64, np.int32):
        mem = LayerMemory(w, weight_levels(w, 8, dtype=dtype), cells_of, 4)
        assert mem.shape == dense.shape
        assert mem.dense().tobytes() == dense.tobytes()
        rows = np.array([3, 0, 149, 7])
        assert mem[rows, 5:61].tobytes() == dense[rows, 5:61].tobytes()


def _model(cell: MemCellType, access: CellAccessType) -> ColumnModel:
    return ColumnModel(mem_cell_type=cell, access_type=access, parallel_read=True,
                       num_row_sub_array=128, num_row_parallel=128,
                       wire_resistance_row=2.7, wire_resistance_col=7.6,
                       resistance_access=15e3, res_cell_access=0.0)


def test_scaled_conductance_equals_direct_formula() -> None:
    """float32(factor / (1/G + R_wire (+ R_access))) computed in float64, with cells of no
    conductance (G_eff = 0) and blocks of several shapes one after the other (the
    scratch buffer is reused, the outputs are not)."""
    rng = np.random.default_rng(3)
    cases = [(MemCellType.RRAM, CellAccessType.CMOS_ACCESS),
             (MemCellType.RRAM, CellAccessType.NONE_ACCESS),
             (MemCellType.FeFET, CellAccessType.CMOS_ACCESS)]
    for cell, access in cases:
        model = _model(cell, access)
        r_access = 15e3 if (cell, access) == cases[0] else 0.0
        outs, wants = [], []
        for rows, cols, factor in ((128, 128, 2.0 ** 10), (64, 32, 2.0 ** -3),
                                   (128, 128, 2.0 ** 7)):
            g = np.where(rng.random((rows, cols)) < 0.5, 1 / 6e3, 1 / 6e5)
            g[0, 0] = 0.0
            out = model.scaled_conductance(g, factor, np.empty((rows, cols), np.float32))
            with np.errstate(divide="ignore"):
                total = 1.0 / g + ((np.arange(1, cols + 1) * 2.7)[None, :]
                                   + ((rows - np.arange(rows)) * 7.6)[:, None] + r_access)
            want = (factor / total).astype(np.float32)
            outs.append(out)
            wants.append(want)
        for out, want in zip(outs, wants):
            assert out.dtype == np.float32 and out.tobytes() == want.tobytes()
            assert out[0, 0] == 0.0
        # the cached wire table is the same one as before
        assert _wire_resistance(2.7, 7.6, 128, 128).flags.writeable is False


def test_reciprocal_above_equals_row_by_row_sums() -> None:
    """Rows' counts and sums of L and of 1/g over the entries above a threshold: each row
    gets the same bits in any block (rows with entries on both sides gathered when few,
    the whole block multiplied when many; rows with every or no entry above) as alone,
    and the sums are right."""
    from neurosim.primitives.vectors import LogConductanceRows

    rng = np.random.default_rng(4)
    g = (rng.random((64, 128)) * 3.0 + 0.1).astype(np.float32)
    g[5] = 0.05  # every L below the thresholds: count 0, sums 0
    g[9] = 2.9  # every L above them
    few = g.copy()
    few[10:] = 2.0  # 10 rows with entries on both sides, at most 1 in 4: gathered
    for gg in (g, np.delete(g, 5, axis=0), few):
        rows = LogConductanceRows(gg)
        for threshold in (float(np.log(np.float32(0.3))), float(rows.lmin) - 1.0,
                          float(np.log(np.float32(1.5)))):
            above = rows.above(threshold)
            got = rows.reciprocal_above(above)
            for i in range(gg.shape[0]):
                alone = LogConductanceRows(gg[i:i + 1].copy())
                one = alone.above(threshold)
                assert above.count[i] == one.count[0]
                assert above.sum[i] == one.sum[0]
                assert got[i] == alone.reciprocal_above(one)[0]
                sel = gg[i][np.log(gg[i]) > np.float32(threshold)]
                assert above.count[i] == sel.size
                assert abs(got[i] - float(np.sum(1.0 / sel.astype(np.float64)))) <= \
                    1e-5 * max(got[i], 1.0)
                assert abs(above.sum[i] - float(np.sum(np.log(sel.astype(np.float64))))) \
                    <= 1e-5 * max(abs(above.sum[i]), 1.0)


def test_row_counts_every_width() -> None:
    """``row_counts`` (word sums, bytes added by one multiplication up to 255 columns)
    equals ``sum(axis=1)`` for every width, all-True and all-False rows included."""
    from neurosim.primitives.vectors import row_counts

    rng = np.random.default_rng(1)
    for c in (1, 7, 8, 16, 128, 248, 256, 512, 2040, 2048):
        m = rng.random((300, c)) < rng.random((300, 1))
        m[0], m[1] = True, False
        assert np.array_equal(row_counts(m), m.sum(axis=1)), c


def test_read_bytes_regular_file_sized_read(tmp_path) -> None:
    """Trace reads ask for the file's size + 1 bytes (not the whole limit): the same bytes,
    and the limit still applies exactly (``limit`` bytes read, ``limit + 1`` refused)."""
    import pytest

    from neurosim.files import FileLimitError, read_bytes

    data = bytes(range(256)) * 40 + b"tail"
    path = tmp_path / "w.csv"
    path.write_bytes(data)
    assert read_bytes(path, "weight trace") == data
    assert read_bytes(path, "weight trace", limit=len(data)) == data
    with pytest.raises(FileLimitError):
        read_bytes(path, "weight trace", limit=len(data) - 1)
    path.write_bytes(b"")
    assert read_bytes(path, "weight trace", limit=0) == b""
