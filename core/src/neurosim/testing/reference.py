"""Comparing a plugin's figures with reference numbers from NeuroSim V1.4's C++.

:func:`mismatches` compares a table of figures (interconnect, device cell, ...) with the C++
values. The parity tests of the sensing and ADC plugins (``neurosim-peripheral-sense``,
``neurosim-peripheral-adc-mlsa``, ``neurosim-peripheral-adc-sar``) check each circuit against
numbers printed (``%.17g``) by a small driver compiled against NeuroSim V1.4's C++ sources. This
module holds what those tests share, so that a new sensing or ADC plugin can be checked the same
way:

* :func:`make_ctx` builds the evaluation context the driver set up (node, roadmap, RRAM or SRAM
  cell, Param defaults, and the Param members a sub-array normally provides fixed to test
  values);
* :data:`COLUMN_RES` / :data:`COLUMN_RES_NAN` are the column resistances of one input vector
  the driver evaluated, :func:`vread` the read voltage of each node (its node data);
* :data:`MATRIX_REF` holds the 5 x 12 column-resistance matrix the driver evaluated vector by
  vector (keys ``mat/<vector>/<column>``); a test's reference table starts with it
  (``REF = {**MATRIX_REF, "adc/22/...": ...}``) and :func:`matrix` reads it back;
* :func:`check` compares one figure with its reference value (1e-9 relative, NaN equals NaN);
  :func:`mismatches` compares a whole table of figures (a mapping, or an object's attributes)
  and returns the ones that differ, for ``assert mismatches(got, expected) == {}``.

Usage::

    from neurosim.testing.reference import MATRIX_REF, check, make_ctx

    REF = {**MATRIX_REF, "my_adc/22/area": 1.23e-10}

    def test_area():
        ctx = make_ctx(22)
        adc = ctx.circuit("adc")(ctx)
        ...
        check(REF, "my_adc/22/area", adc.area)
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Mapping

import numpy as np
import pytest

from ..config import load_config
from ..engine.context import build_context
from ..primitives.constants import MemCellType

#: Column resistances (ohm) of one input vector: every fit piece, 0 and an open column;
#: ``COLUMN_RES_NAN`` has a NaN column.
COLUMN_RES = [0.0, 600, 1000, 2500, 4000, 4832, 5000, 8000, 12000, 20000, 21000, 30000,
              40000, 50000, 75000, 1.0e5, 4.0e5, 1.0e6, 2.0e6, 1.0e8, math.inf]
COLUMN_RES_NAN = [5000, math.nan, 2e4]


def vread(node: int) -> float:
    """Param.cpp's read voltage of ``node`` (nm): the node plugin's ``param_cpp.read_voltage``."""
    from ..plugins import get_registry

    return float(get_registry().get("tech", f"{node}nm").param_cpp.read_voltage)


def make_ctx(node: int, roadmap: str = "lstp", compat_bugs: bool = True):
    """The context the C++ reference driver set up: node, roadmap, RRAM (planar nodes) or
    SRAM cell, Param defaults, and the sub-array-provided Param members fixed to test values
    (the read voltage is the node's Param.cpp value, ``param_cpp.read_voltage``)."""
    from ..plugins import get_registry

    data = get_registry().get("tech", f"{node}nm")
    planar = data.family == "planar"
    ctx = build_context(load_config(overrides={
        "tech": f"{node}nm", "device": "rram" if planar else "sram",
        "device_roadmap": roadmap, "compat_bugs": compat_bugs}))
    ctx.cell = dataclasses.replace(
        ctx.cell, mem_cell_type=MemCellType.RRAM if planar else MemCellType.SRAM,
        read_voltage=0.5, res_mem_cell_on=1.25e5, res_mem_cell_off=1.725e6,
        read_pulse_width=1e-8, min_sense_voltage=0.1)
    p = ctx.param
    p.technode, p.deviceroadmap, p.read_voltage, p.temp = node, 1 if roadmap == "hp" else 2, \
        vread(node), 300
    p.resistance_on, p.resistance_off = 100e3, 1.7e6
    p.max_conductance, p.min_conductance = 1 / p.resistance_on, 1 / p.resistance_off
    p.num_row_parallel, p.operationmode, p.speciallayout = 128, 2, 1
    p.validated, p.epsilon = True, 0.05
    p.res_cell_access = 13000.5
    p.columncap = 3.1e-14
    p.arrayheight = 128 * 4 * ctx.tech.feature_size
    p.arraywidthunit = 12 * ctx.tech.feature_size
    p.reference_energy_peri = 2.2e-15
    return ctx


def check(ref: dict, key: str, value: float) -> None:
    """``value`` equals the C++ reference ``ref[key]`` to 1e-9 relative (NaN equals NaN)."""
    assert value == pytest.approx(ref[key], rel=1e-9, abs=0.0, nan_ok=True), key


def mismatches(got: Any, expected: Mapping[str, float], *,
               rel_tol: float = 1e-9) -> dict[str, tuple[float, float]]:
    """``{name: (got, expected)}`` for every figure of ``expected`` that ``got`` misses by more
    than ``rel_tol`` relative (:func:`math.isclose`, no absolute tolerance).

    ``got`` is a mapping of figures or an object whose attributes are the figures (a
    ``MemCell``, a circuit). A test asserts the result is ``{}`` so that a failure lists every
    differing figure at once.
    """
    def value(name: str) -> float:
        return got[name] if isinstance(got, Mapping) else getattr(got, name)

    return {k: (value(k), v) for k, v in expected.items()
            if not math.isclose(value(k), v, rel_tol=rel_tol, abs_tol=0.0)}


def matrix(ref: dict) -> np.ndarray:
    """The 5 x 12 column-resistance matrix the driver evaluated vector by vector."""
    return np.array([[ref[f"mat/{v}/{j}"] for j in range(12)] for v in range(5)])


#: The 5 x 12 column-resistance matrix (ohm) the C++ driver evaluated vector by vector
#: (keys ``mat/<vector>/<column>``; ``math.inf`` is an open column).
MATRIX_REF: dict[str, float] = {
    'mat/0/0': 1000,
    'mat/0/1': 266826.83708471328,
    'mat/0/2': 7119.6560988632118,
    'mat/0/3': math.inf,
    'mat/0/4': 50689.502966080123,
    'mat/0/5': 1352.5319749835351,
    'mat/0/6': 360891.82894079719,
    'mat/0/7': 9629.5625245990304,
    'mat/0/8': 2569425.7109482456,
    'mat/0/9': 68559.173557646107,
    'mat/0/10': math.inf,
    'mat/0/11': 488117.73815271654,
    'mat/1/0': 13024.291219623363,
    'mat/1/1': 3475230.4314023047,
    'mat/1/2': math.inf,
    'mat/1/3': 2474.2445535888423,
    'mat/1/4': 660194.84840818972,
    'mat/1/5': 17615.770326037902,
    'mat/1/6': 4700360.2789074415,
    'mat/1/7': 125418.22663794934,
    'mat/1/8': 3346.4948726577718,
    'mat/1/9': math.inf,
    'mat/1/10': 23825.892629932347,
    'mat/1/11': 6357387.5711648287,
    'mat/2/0': 169632.16177355789,
    'mat/2/1': math.inf,
    'mat/2/2': 1207722.6551344623,
    'mat/2/3': 32225.281614508051,
    'mat/2/4': 8598569.9673633445,
    'mat/2/5': 229432.92278431676,
    'mat/2/6': 6121.8861109640484,
    'mat/2/7': 1633483.5079813732,
    'mat/2/8': math.inf,
    'mat/2/9': 1162.9840819992057,
    'mat/2/10': 310315.36417971685,
    'mat/2/11': 8280.0467122864775,
    'mat/3/0': math.inf,
    'mat/3/1': 58951.085074002702,
    'mat/3/2': 1572.9731573007991,
    'mat/3/3': 419711.45238172653,
    'mat/3/4': 11199.027932724757,
    'mat/3/5': 2988201.2017122959,
    'mat/3/6': 79733.227522563117,
    'mat/3/7': math.inf,
    'mat/3/8': 567673.15961306449,
    'mat/3/9': 15147.04336774396,
    'mat/3/10': 4041637.6730001043,
    'mat/3/11': 107841.73969290385,
    'mat/4/0': 2877.5070307970541,
    'mat/4/1': 767796.09971660178,
    'mat/4/2': 20486.860481335996,
    'mat/4/3': 5466444.1840306902,
    'mat/4/4': 145859.40117250354,
    'mat/4/5': 3891.9202673929435,
    'mat/4/6': math.inf,
    'mat/4/7': 27709.13386803351,
    'mat/4/8': 7393540.5483642882,
    'mat/4/9': 197279.50393776194,
    'mat/4/10': 5263.9466057354257,
    'mat/4/11': 1404562.2233911958,
}


__all__ = ["COLUMN_RES", "COLUMN_RES_NAN", "MATRIX_REF", "vread", "check", "make_ctx", "matrix",
           "mismatches"]
