"""Parity of the multilevel-sense-amplifier ADC with NeuroSim V1.4's C++ MultilevelSenseAmp.

REF holds the numbers printed (%.17g) by a small driver compiled against NeuroSim V1.4's
C++ sources (MultilevelSenseAmp with CurrentSenseAmp, Technology, formula and Param),
instantiating the class with the arguments used below and, for ``mat_*``, calling it once
per row of the ``mat`` resistance matrix with numRead = row index + 1 and summing the
results; REF_FIXED from the same driver built with `1.0/(levelOutput-1)` in the switching
energy. Keys: mlsa/node/levelOutput/currentMode/parallel/quantity. The driver is not part of
the repository.
"""
from __future__ import annotations

import functools
import operator

import numpy as np
import pytest

from neurosim.config import load_config
from neurosim.engine.context import build_context
from neurosim.primitives.constants import AreaModify
from neurosim.testing.reference import (
    COLUMN_RES,
    COLUMN_RES_NAN,
    MATRIX_REF,
    vread,
    check,
    make_ctx,
    matrix,
)

# NeuroSim V1.4 C++ reference numbers (see module docstring); the column-resistance
# matrix (mat/*) is the kit's, shared with the other sensing and ADC plugins.
REF = {
    **MATRIX_REF,
    'mlsa/22/16/0/0/area': 2.6707507200000002e-10,
    'mlsa/22/16/0/0/height': 1.78050048e-05,
    'mlsa/22/16/0/0/width': 1.5e-05,
    'mlsa/22/16/0/0/latency': 1.0000000000000001e-09,
    'mlsa/22/16/0/0/energy': 9.7868614192555495e-13,
    'mlsa/22/16/0/0/leakage': 0,
    'mlsa/22/16/0/0/mat_latency': 1.2000000000000002e-07,
    'mlsa/22/16/0/0/mat_energy': 4.2107977511095223e-12,
    'mlsa/22/16/0/0/nan_energy': 6.9763295851825363e-14,
    'mlsa/22/16/0/0/area_h': 2.6707507200000002e-10,
    'mlsa/22/16/0/0/width_h': 0.00013353753600000001,
    'mlsa/22/16/0/1/area': 2.6707507200000002e-10,
    'mlsa/22/16/0/1/height': 1.78050048e-05,
    'mlsa/22/16/0/1/width': 1.5e-05,
    'mlsa/22/16/0/1/latency': 1.0000000000000001e-09,
    'mlsa/22/16/0/1/energy': 9.7868614192555495e-13,
    'mlsa/22/16/0/1/leakage': 0,
    'mlsa/22/16/0/1/mat_latency': 1.2000000000000002e-07,
    'mlsa/22/16/0/1/mat_energy': 4.2107977511095223e-12,
    'mlsa/22/16/0/1/nan_energy': 6.9763295851825363e-14,
    'mlsa/22/16/0/1/area_h': 2.6707507200000002e-10,
    'mlsa/22/16/0/1/width_h': 0.00013353753600000001,
    'mlsa/22/16/1/0/area': 2.6707507200000002e-10,
    'mlsa/22/16/1/0/height': 1.78050048e-05,
    'mlsa/22/16/1/0/width': 1.5e-05,
    'mlsa/22/16/1/0/latency': 3.3375274854045924e-08,
    'mlsa/22/16/1/0/energy': 1.3917922823307118e-11,
    'mlsa/22/16/1/0/leakage': 0,
    'mlsa/22/16/1/0/mat_latency': 4.0050329824855102e-06,
    'mlsa/22/16/1/0/mat_energy': 4.6736311665243433e-11,
    'mlsa/22/16/1/0/nan_energy': 9.0517366314860014e-13,
    'mlsa/22/16/1/0/area_h': 2.6707507200000002e-10,
    'mlsa/22/16/1/0/width_h': 0.00013353753600000001,
    'mlsa/22/16/1/1/area': 2.6707507200000002e-10,
    'mlsa/22/16/1/1/height': 1.78050048e-05,
    'mlsa/22/16/1/1/width': 1.5e-05,
    'mlsa/22/16/1/1/latency': 9.0196031250000005e-10,
    'mlsa/22/16/1/1/energy': 1.6398802138493939e-12,
    'mlsa/22/16/1/1/leakage': 0,
    'mlsa/22/16/1/1/mat_latency': 1.082352375e-07,
    'mlsa/22/16/1/1/mat_energy': 6.6854784013443581e-12,
    'mlsa/22/16/1/1/nan_energy': 1.0737332160047739e-13,
    'mlsa/22/16/1/1/area_h': 2.6707507200000002e-10,
    'mlsa/22/16/1/1/width_h': 0.00013353753600000001,
    'mlsa/22/32/0/0/area': 5.0586286080000005e-10,
    'mlsa/22/32/0/0/height': 3.3724190720000005e-05,
    'mlsa/22/32/0/0/width': 1.5e-05,
    'mlsa/22/32/0/0/latency': 1.0000000000000001e-09,
    'mlsa/22/32/0/0/energy': 1.5484612509090892e-12,
    'mlsa/22/32/0/0/leakage': 0,
    'mlsa/22/32/0/0/mat_latency': 1.2000000000000002e-07,
    'mlsa/22/32/0/0/mat_energy': 6.6526910753246678e-12,
    'mlsa/22/32/0/0/nan_energy': 1.1046151792207779e-13,
    'mlsa/22/32/0/0/area_h': 5.0586286080000005e-10,
    'mlsa/22/32/0/0/width_h': 0.00025293143040000006,
    'mlsa/22/32/0/1/area': 5.0586286080000005e-10,
    'mlsa/22/32/0/1/height': 3.3724190720000005e-05,
    'mlsa/22/32/0/1/width': 1.5e-05,
    'mlsa/22/32/0/1/latency': 1.0000000000000001e-09,
    'mlsa/22/32/0/1/energy': 1.5484612509090892e-12,
    'mlsa/22/32/0/1/leakage': 0,
    'mlsa/22/32/0/1/mat_latency': 1.2000000000000002e-07,
    'mlsa/22/32/0/1/mat_energy': 6.6526910753246678e-12,
    'mlsa/22/32/0/1/nan_energy': 1.1046151792207779e-13,
    'mlsa/22/32/0/1/area_h': 5.0586286080000005e-10,
    'mlsa/22/32/0/1/width_h': 0.00025293143040000006,
    'mlsa/22/32/1/0/area': 5.0586286080000005e-10,
    'mlsa/22/32/1/0/height': 3.3724190720000005e-05,
    'mlsa/22/32/1/0/width': 1.5e-05,
    'mlsa/22/32/1/0/latency': 4.1614655019507855e-08,
    'mlsa/22/32/1/0/energy': 3.5675961708727458e-11,
    'mlsa/22/32/1/0/leakage': 0,
    'mlsa/22/32/1/0/mat_latency': 4.9937586023409425e-06,
    'mlsa/22/32/1/0/mat_energy': 1.1908245819377957e-10,
    'mlsa/22/32/1/0/nan_energy': 2.3066726290452248e-12,
    'mlsa/22/32/1/0/area_h': 5.0586286080000005e-10,
    'mlsa/22/32/1/0/width_h': 0.00025293143040000006,
    'mlsa/22/32/1/1/area': 5.0586286080000005e-10,
    'mlsa/22/32/1/1/height': 3.3724190720000005e-05,
    'mlsa/22/32/1/1/width': 1.5e-05,
    'mlsa/22/32/1/1/latency': 9.5211762500000009e-10,
    'mlsa/22/32/1/1/energy': 3.0787430768418025e-12,
    'mlsa/22/32/1/1/leakage': 0,
    'mlsa/22/32/1/1/mat_latency': 1.1425411500000001e-07,
    'mlsa/22/32/1/1/mat_energy': 1.2430559281966589e-11,
    'mlsa/22/32/1/1/nan_energy': 1.9663466586212264e-13,
    'mlsa/22/32/1/1/area_h': 5.0586286080000005e-10,
    'mlsa/22/32/1/1/width_h': 0.00025293143040000006,
    'mlsa/22/64/0/0/area': 9.8120816640000004e-10,
    'mlsa/22/64/0/0/height': 6.5413877759999998e-05,
    'mlsa/22/64/0/0/width': 1.5e-05,
    'mlsa/22/64/0/0/latency': 1.0000000000000001e-09,
    'mlsa/22/64/0/0/energy': 2.6651960671831341e-12,
    'mlsa/22/64/0/0/leakage': 0,
    'mlsa/22/64/0/0/mat_latency': 1.2000000000000002e-07,
    'mlsa/22/64/0/0/mat_energy': 1.143869743078486e-11,
    'mlsa/22/64/0/0/nan_energy': 1.9022829051308097e-13,
    'mlsa/22/64/0/0/area_h': 9.8120816640000004e-10,
    'mlsa/22/64/0/0/width_h': 0.00049060408320000001,
    'mlsa/22/64/0/1/area': 9.8120816640000004e-10,
    'mlsa/22/64/0/1/height': 6.5413877759999998e-05,
    'mlsa/22/64/0/1/width': 1.5e-05,
    'mlsa/22/64/0/1/latency': 1.0000000000000001e-09,
    'mlsa/22/64/0/1/energy': 2.6651960671831341e-12,
    'mlsa/22/64/0/1/leakage': 0,
    'mlsa/22/64/0/1/mat_latency': 1.2000000000000002e-07,
    'mlsa/22/64/0/1/mat_energy': 1.143869743078486e-11,
    'mlsa/22/64/0/1/nan_energy': 1.9022829051308097e-13,
    'mlsa/22/64/0/1/area_h': 9.8120816640000004e-10,
    'mlsa/22/64/0/1/width_h': 0.00049060408320000001,
    'mlsa/22/64/1/0/area': 9.8120816640000004e-10,
    'mlsa/22/64/1/0/height': 6.5413877759999998e-05,
    'mlsa/22/64/1/0/width': 1.5e-05,
    'mlsa/22/64/1/0/latency': 4.8764969681868015e-08,
    'mlsa/22/64/1/0/energy': 8.4856701377599827e-11,
    'mlsa/22/64/1/0/leakage': 0,
    'mlsa/22/64/1/0/mat_latency': 5.8517963618241616e-06,
    'mlsa/22/64/1/0/mat_energy': 2.8253550095559735e-10,
    'mlsa/22/64/1/0/nan_energy': 5.471170494901658e-12,
    'mlsa/22/64/1/0/area_h': 9.8120816640000004e-10,
    'mlsa/22/64/1/0/width_h': 0.00049060408320000001,
    'mlsa/22/64/1/1/area': 9.8120816640000004e-10,
    'mlsa/22/64/1/1/height': 6.5413877759999998e-05,
    'mlsa/22/64/1/1/width': 1.5e-05,
    'mlsa/22/64/1/1/latency': 1.3468886703680773e-09,
    'mlsa/22/64/1/1/energy': 7.1755202574201335e-12,
    'mlsa/22/64/1/1/leakage': 0,
    'mlsa/22/64/1/1/mat_latency': 1.6162664044416929e-07,
    'mlsa/22/64/1/1/mat_energy': 2.8532823980778415e-11,
    'mlsa/22/64/1/1/nan_energy': 4.4313289293021424e-13,
    'mlsa/22/64/1/1/area_h': 9.8120816640000004e-10,
    'mlsa/22/64/1/1/width_h': 0.00049060408320000001,
    'mlsa/7/16/0/0/area': 6.3611794088639992e-11,
    'mlsa/7/16/0/0/height': 4.2407862725759996e-06,
    'mlsa/7/16/0/0/width': 1.5e-05,
    'mlsa/7/16/0/0/latency': 1.0000000000000001e-09,
    'mlsa/7/16/0/0/energy': 5.3105685358362496e-13,
    'mlsa/7/16/0/0/leakage': 0,
    'mlsa/7/16/0/0/mat_latency': 1.2000000000000002e-07,
    'mlsa/7/16/0/0/mat_energy': 2.2923865153583922e-12,
    'mlsa/7/16/0/0/nan_energy': 3.7789775255973208e-14,
    'mlsa/7/16/0/0/area_h': 6.3611794088639992e-11,
    'mlsa/7/16/0/0/width_h': 3.1805897044319994e-05,
    'mlsa/7/16/0/1/area': 6.3611794088639992e-11,
    'mlsa/7/16/0/1/height': 4.2407862725759996e-06,
    'mlsa/7/16/0/1/width': 1.5e-05,
    'mlsa/7/16/0/1/latency': 1.0000000000000001e-09,
    'mlsa/7/16/0/1/energy': 5.3105685358362496e-13,
    'mlsa/7/16/0/1/leakage': 0,
    'mlsa/7/16/0/1/mat_latency': 1.2000000000000002e-07,
    'mlsa/7/16/0/1/mat_energy': 2.2923865153583922e-12,
    'mlsa/7/16/0/1/nan_energy': 3.7789775255973208e-14,
    'mlsa/7/16/0/1/area_h': 6.3611794088639992e-11,
    'mlsa/7/16/0/1/width_h': 3.1805897044319994e-05,
    'mlsa/7/16/1/0/area': 6.3611794088639992e-11,
    'mlsa/7/16/1/0/height': 4.2407862725759996e-06,
    'mlsa/7/16/1/0/width': 1.5e-05,
    'mlsa/7/16/1/0/latency': 4.0066925264056999e-08,
    'mlsa/7/16/1/0/energy': 1.6919155346603598e-12,
    'mlsa/7/16/1/0/leakage': 0,
    'mlsa/7/16/1/0/mat_latency': 4.8080310316868404e-06,
    'mlsa/7/16/1/0/mat_energy': 6.9327252909674488e-12,
    'mlsa/7/16/1/0/nan_energy': 1.0561983726825461e-13,
    'mlsa/7/16/1/0/area_h': 6.3611794088639992e-11,
    'mlsa/7/16/1/0/width_h': 3.1805897044319994e-05,
    'mlsa/7/16/1/1/area': 6.3611794088639992e-11,
    'mlsa/7/16/1/1/height': 4.2407862725759996e-06,
    'mlsa/7/16/1/1/width': 1.5e-05,
    'mlsa/7/16/1/1/latency': 8.1825018171343404e-10,
    'mlsa/7/16/1/1/energy': 5.6505169754975549e-13,
    'mlsa/7/16/1/1/leakage': 0,
    'mlsa/7/16/1/1/mat_latency': 9.8190021805612074e-08,
    'mlsa/7/16/1/1/mat_energy': 2.417169528558367e-12,
    'mlsa/7/16/1/1/nan_energy': 3.9793934220647985e-14,
    'mlsa/7/16/1/1/area_h': 6.3611794088639992e-11,
    'mlsa/7/16/1/1/width_h': 3.1805897044319994e-05,
    'mlsa/7/32/0/0/area': 1.2679800644985596e-10,
    'mlsa/7/32/0/0/height': 8.4532004299903979e-06,
    'mlsa/7/32/0/0/width': 1.5e-05,
    'mlsa/7/32/0/0/latency': 1.0000000000000001e-09,
    'mlsa/7/32/0/0/energy': 9.1794321838750311e-13,
    'mlsa/7/32/0/0/leakage': 0,
    'mlsa/7/32/0/0/mat_latency': 1.2000000000000002e-07,
    'mlsa/7/32/0/0/mat_energy': 3.9504709359464425e-12,
    'mlsa/7/32/0/0/nan_energy': 6.5424515599107371e-14,
    'mlsa/7/32/0/0/area_h': 1.2679800644985596e-10,
    'mlsa/7/32/0/0/width_h': 6.3399003224927982e-05,
    'mlsa/7/32/0/1/area': 1.2679800644985596e-10,
    'mlsa/7/32/0/1/height': 8.4532004299903979e-06,
    'mlsa/7/32/0/1/width': 1.5e-05,
    'mlsa/7/32/0/1/latency': 1.0000000000000001e-09,
    'mlsa/7/32/0/1/energy': 9.1794321838750311e-13,
    'mlsa/7/32/0/1/leakage': 0,
    'mlsa/7/32/0/1/mat_latency': 1.2000000000000002e-07,
    'mlsa/7/32/0/1/mat_energy': 3.9504709359464425e-12,
    'mlsa/7/32/0/1/nan_energy': 6.5424515599107371e-14,
    'mlsa/7/32/0/1/area_h': 1.2679800644985596e-10,
    'mlsa/7/32/0/1/width_h': 6.3399003224927982e-05,
    'mlsa/7/32/1/0/area': 1.2679800644985596e-10,
    'mlsa/7/32/1/0/height': 8.4532004299903979e-06,
    'mlsa/7/32/1/0/width': 1.5e-05,
    'mlsa/7/32/1/0/latency': 5.1010772119660708e-08,
    'mlsa/7/32/1/0/energy': 3.9593958373994571e-12,
    'mlsa/7/32/1/0/leakage': 0,
    'mlsa/7/32/1/0/mat_latency': 6.1212926543592851e-06,
    'mlsa/7/32/1/0/mat_energy': 1.5257374530060306e-11,
    'mlsa/7/32/1/0/nan_energy': 2.4850689854228996e-13,
    'mlsa/7/32/1/0/area_h': 1.2679800644985596e-10,
    'mlsa/7/32/1/0/width_h': 6.3399003224927982e-05,
    'mlsa/7/32/1/1/area': 1.2679800644985596e-10,
    'mlsa/7/32/1/1/height': 8.4532004299903979e-06,
    'mlsa/7/32/1/1/width': 1.5e-05,
    'mlsa/7/32/1/1/latency': 8.1978166645718692e-10,
    'mlsa/7/32/1/1/energy': 9.928225529960747e-13,
    'mlsa/7/32/1/1/leakage': 0,
    'mlsa/7/32/1/1/mat_latency': 9.8373799974862425e-08,
    'mlsa/7/32/1/1/mat_energy': 4.2313108548693386e-12,
    'mlsa/7/32/1/1/nan_energy': 6.9755107674717467e-14,
    'mlsa/7/32/1/1/area_h': 1.2679800644985596e-10,
    'mlsa/7/32/1/1/width_h': 6.3399003224927982e-05,
    'mlsa/7/64/0/0/area': 2.5294463917228792e-10,
    'mlsa/7/64/0/0/height': 1.6862975944819194e-05,
    'mlsa/7/64/0/0/width': 1.5e-05,
    'mlsa/7/64/0/0/latency': 1.0000000000000001e-09,
    'mlsa/7/64/0/0/energy': 1.6831306031785569e-12,
    'mlsa/7/64/0/0/leakage': 0,
    'mlsa/7/64/0/0/mat_latency': 1.2000000000000002e-07,
    'mlsa/7/64/0/0/mat_energy': 7.2298454421938127e-12,
    'mlsa/7/64/0/0/nan_energy': 1.2008075736989687e-13,
    'mlsa/7/64/0/0/area_h': 2.5294463917228792e-10,
    'mlsa/7/64/0/0/width_h': 0.00012647231958614396,
    'mlsa/7/64/0/1/area': 2.5294463917228792e-10,
    'mlsa/7/64/0/1/height': 1.6862975944819194e-05,
    'mlsa/7/64/0/1/width': 1.5e-05,
    'mlsa/7/64/0/1/latency': 1.0000000000000001e-09,
    'mlsa/7/64/0/1/energy': 1.6831306031785569e-12,
    'mlsa/7/64/0/1/leakage': 0,
    'mlsa/7/64/0/1/mat_latency': 1.2000000000000002e-07,
    'mlsa/7/64/0/1/mat_energy': 7.2298454421938127e-12,
    'mlsa/7/64/0/1/nan_energy': 1.2008075736989687e-13,
    'mlsa/7/64/0/1/area_h': 2.5294463917228792e-10,
    'mlsa/7/64/0/1/width_h': 0.00012647231958614396,
    'mlsa/7/64/1/0/area': 2.5294463917228792e-10,
    'mlsa/7/64/1/0/height': 1.6862975944819194e-05,
    'mlsa/7/64/1/0/width': 1.5e-05,
    'mlsa/7/64/1/0/latency': 6.1921221957837308e-08,
    'mlsa/7/64/1/0/energy': 9.1710130004334869e-12,
    'mlsa/7/64/1/0/leakage': 0,
    'mlsa/7/64/1/0/mat_latency': 7.4305466349404766e-06,
    'mlsa/7/64/1/0/mat_energy': 3.4055885476698118e-11,
    'mlsa/7/64/1/0/nan_energy': 5.7720077134781407e-13,
    'mlsa/7/64/1/0/area_h': 2.5294463917228792e-10,
    'mlsa/7/64/1/0/width_h': 0.00012647231958614396,
    'mlsa/7/64/1/1/area': 2.5294463917228792e-10,
    'mlsa/7/64/1/1/height': 1.6862975944819194e-05,
    'mlsa/7/64/1/1/width': 1.5e-05,
    'mlsa/7/64/1/1/latency': 8.2052898000014792e-10,
    'mlsa/7/64/1/1/energy': 1.8399662086054702e-12,
    'mlsa/7/64/1/1/leakage': 0,
    'mlsa/7/64/1/1/mat_latency': 9.8463477600017741e-08,
    'mlsa/7/64/1/1/mat_energy': 7.8235621398708291e-12,
    'mlsa/7/64/1/1/nan_energy': 1.2907305924631104e-13,
    'mlsa/7/64/1/1/area_h': 2.5294463917228792e-10,
    'mlsa/7/64/1/1/width_h': 0.00012647231958614396,
    'mlsa/1/16/0/0/area': 1.391616e-11,
    'mlsa/1/16/0/0/height': 9.2774399999999997e-07,
    'mlsa/1/16/0/0/width': 1.5e-05,
    'mlsa/1/16/0/0/latency': 1.0000000000000001e-09,
    'mlsa/1/16/0/0/energy': 2.9466993505856962e-13,
    'mlsa/1/16/0/0/leakage': 0,
    'mlsa/1/16/0/0/mat_latency': 1.2000000000000002e-07,
    'mlsa/1/16/0/0/mat_energy': 1.279299721679584e-12,
    'mlsa/1/16/0/0/nan_energy': 2.0904995361326404e-14,
    'mlsa/1/16/0/0/area_h': 1.391616e-11,
    'mlsa/1/16/0/0/width_h': 6.9580800000000006e-06,
    'mlsa/1/16/0/1/area': 1.391616e-11,
    'mlsa/1/16/0/1/height': 9.2774399999999997e-07,
    'mlsa/1/16/0/1/width': 1.5e-05,
    'mlsa/1/16/0/1/latency': 1.0000000000000001e-09,
    'mlsa/1/16/0/1/energy': 2.9466993505856962e-13,
    'mlsa/1/16/0/1/leakage': 0,
    'mlsa/1/16/0/1/mat_latency': 1.2000000000000002e-07,
    'mlsa/1/16/0/1/mat_energy': 1.279299721679584e-12,
    'mlsa/1/16/0/1/nan_energy': 2.0904995361326404e-14,
    'mlsa/1/16/0/1/area_h': 1.391616e-11,
    'mlsa/1/16/0/1/width_h': 6.9580800000000006e-06,
    'mlsa/1/16/1/0/area': 1.391616e-11,
    'mlsa/1/16/1/0/height': 9.2774399999999997e-07,
    'mlsa/1/16/1/0/width': 1.5e-05,
    'mlsa/1/16/1/0/latency': 2.9629054404262906e-08,
    'mlsa/1/16/1/0/energy': 1.0432481076492935e-12,
    'mlsa/1/16/1/0/leakage': 0,
    'mlsa/1/16/1/0/mat_latency': 3.555486528511549e-06,
    'mlsa/1/16/1/0/mat_energy': 4.4094301003610617e-12,
    'mlsa/1/16/1/0/nan_energy': 6.3506681538758674e-14,
    'mlsa/1/16/1/0/area_h': 1.391616e-11,
    'mlsa/1/16/1/0/width_h': 6.9580800000000006e-06,
    'mlsa/1/16/1/1/area': 1.391616e-11,
    'mlsa/1/16/1/1/height': 9.2774399999999997e-07,
    'mlsa/1/16/1/1/width': 1.5e-05,
    'mlsa/1/16/1/1/latency': 7.0011421117230137e-10,
    'mlsa/1/16/1/1/energy': 3.1810009605474388e-13,
    'mlsa/1/16/1/1/leakage': 0,
    'mlsa/1/16/1/1/mat_latency': 8.4013705340676164e-08,
    'mlsa/1/16/1/1/mat_energy': 1.3628009463106961e-12,
    'mlsa/1/16/1/1/nan_energy': 2.2294988396637884e-14,
    'mlsa/1/16/1/1/area_h': 1.391616e-11,
    'mlsa/1/16/1/1/width_h': 6.9580800000000006e-06,
    'mlsa/1/32/0/0/area': 2.8664831999999999e-11,
    'mlsa/1/32/0/0/height': 1.9109888e-06,
    'mlsa/1/32/0/0/width': 1.5e-05,
    'mlsa/1/32/0/0/latency': 1.0000000000000001e-09,
    'mlsa/1/32/0/0/energy': 4.2401362660735047e-13,
    'mlsa/1/32/0/0/leakage': 0,
    'mlsa/1/32/0/0/mat_latency': 1.2000000000000002e-07,
    'mlsa/1/32/0/0/mat_energy': 1.833629828317216e-12,
    'mlsa/1/32/0/0/nan_energy': 3.0143830471953596e-14,
    'mlsa/1/32/0/0/area_h': 2.8664831999999999e-11,
    'mlsa/1/32/0/0/width_h': 1.4332416000000001e-05,
    'mlsa/1/32/0/1/area': 2.8664831999999999e-11,
    'mlsa/1/32/0/1/height': 1.9109888e-06,
    'mlsa/1/32/0/1/width': 1.5e-05,
    'mlsa/1/32/0/1/latency': 1.0000000000000001e-09,
    'mlsa/1/32/0/1/energy': 4.2401362660735047e-13,
    'mlsa/1/32/0/1/leakage': 0,
    'mlsa/1/32/0/1/mat_latency': 1.2000000000000002e-07,
    'mlsa/1/32/0/1/mat_energy': 1.833629828317216e-12,
    'mlsa/1/32/0/1/nan_energy': 3.0143830471953596e-14,
    'mlsa/1/32/0/1/area_h': 2.8664831999999999e-11,
    'mlsa/1/32/0/1/width_h': 1.4332416000000001e-05,
    'mlsa/1/32/1/0/area': 2.8664831999999999e-11,
    'mlsa/1/32/1/0/height': 1.9109888e-06,
    'mlsa/1/32/1/0/width': 1.5e-05,
    'mlsa/1/32/1/0/latency': 3.6867645227616109e-08,
    'mlsa/1/32/1/0/energy': 2.3360707626997966e-12,
    'mlsa/1/32/1/0/leakage': 0,
    'mlsa/1/32/1/0/mat_latency': 4.4241174273139328e-06,
    'mlsa/1/32/1/0/mat_energy': 9.2206669127201932e-12,
    'mlsa/1/32/1/0/nan_energy': 1.4281541426301602e-13,
    'mlsa/1/32/1/0/area_h': 2.8664831999999999e-11,
    'mlsa/1/32/1/0/width_h': 1.4332416000000001e-05,
    'mlsa/1/32/1/1/area': 2.8664831999999999e-11,
    'mlsa/1/32/1/1/height': 1.9109888e-06,
    'mlsa/1/32/1/1/width': 1.5e-05,
    'mlsa/1/32/1/1/latency': 7.0136405429088072e-10,
    'mlsa/1/32/1/1/energy': 4.7612522403081491e-13,
    'mlsa/1/32/1/1/leakage': 0,
    'mlsa/1/32/1/1/mat_latency': 8.4163686514905688e-08,
    'mlsa/1/32/1/1/mat_energy': 2.0272416097107893e-12,
    'mlsa/1/32/1/1/nan_energy': 3.3155846441965315e-14,
    'mlsa/1/32/1/1/area_h': 2.8664831999999999e-11,
    'mlsa/1/32/1/1/width_h': 1.4332416000000001e-05,
    'mlsa/1/64/0/0/area': 5.8157568000000001e-11,
    'mlsa/1/64/0/0/height': 3.8771711999999996e-06,
    'mlsa/1/64/0/0/width': 1.5e-05,
    'mlsa/1/64/0/0/latency': 1.0000000000000001e-09,
    'mlsa/1/64/0/0/energy': 6.7385423650782081e-13,
    'mlsa/1/64/0/0/leakage': 0,
    'mlsa/1/64/0/0/mat_latency': 1.2000000000000002e-07,
    'mlsa/1/64/0/0/mat_energy': 2.9043752993192311e-12,
    'mlsa/1/64/0/0/nan_energy': 4.7989588321987195e-14,
    'mlsa/1/64/0/0/area_h': 5.8157568000000001e-11,
    'mlsa/1/64/0/0/width_h': 2.9078784000000003e-05,
    'mlsa/1/64/0/1/area': 5.8157568000000001e-11,
    'mlsa/1/64/0/1/height': 3.8771711999999996e-06,
    'mlsa/1/64/0/1/width': 1.5e-05,
    'mlsa/1/64/0/1/latency': 1.0000000000000001e-09,
    'mlsa/1/64/0/1/energy': 6.7385423650782081e-13,
    'mlsa/1/64/0/1/leakage': 0,
    'mlsa/1/64/0/1/mat_latency': 1.2000000000000002e-07,
    'mlsa/1/64/0/1/mat_energy': 2.9043752993192311e-12,
    'mlsa/1/64/0/1/nan_energy': 4.7989588321987195e-14,
    'mlsa/1/64/0/1/area_h': 5.8157568000000001e-11,
    'mlsa/1/64/0/1/width_h': 2.9078784000000003e-05,
    'mlsa/1/64/1/0/area': 5.8157568000000001e-11,
    'mlsa/1/64/1/0/height': 3.8771711999999996e-06,
    'mlsa/1/64/1/0/width': 1.5e-05,
    'mlsa/1/64/1/0/latency': 4.2855604392190167e-08,
    'mlsa/1/64/1/0/energy': 5.1764231600918782e-12,
    'mlsa/1/64/1/0/leakage': 0,
    'mlsa/1/64/1/0/mat_latency': 5.1426725270628201e-06,
    'mlsa/1/64/1/0/mat_energy': 1.960452328542244e-11,
    'mlsa/1/64/1/0/nan_energy': 3.1771981959740062e-13,
    'mlsa/1/64/1/0/area_h': 5.8157568000000001e-11,
    'mlsa/1/64/1/0/width_h': 2.9078784000000003e-05,
    'mlsa/1/64/1/1/area': 5.8157568000000001e-11,
    'mlsa/1/64/1/1/height': 3.8771711999999996e-06,
    'mlsa/1/64/1/1/width': 1.5e-05,
    'mlsa/1/64/1/1/latency': 7.0197393610191476e-10,
    'mlsa/1/64/1/1/energy': 7.83465553374073e-13,
    'mlsa/1/64/1/1/leakage': 0,
    'mlsa/1/64/1/1/mat_latency': 8.4236872332229775e-08,
    'mlsa/1/64/1/1/mat_energy': 3.3187625744182135e-12,
    'mlsa/1/64/1/1/nan_energy': 5.4252215439186275e-14,
    'mlsa/1/64/1/1/area_h': 5.8157568000000001e-11,
    'mlsa/1/64/1/1/width_h': 2.9078784000000003e-05,
}
REF_FIXED = {
    'mlsa/22/16/0/0/energy': 1.3725411419255552e-12,
    'mlsa/22/16/0/0/mat_energy': 5.8987477511095194e-12,
    'mlsa/22/16/0/0/nan_energy': 9.7895795851825345e-14,
    'mlsa/22/16/0/1/energy': 1.3725411419255552e-12,
    'mlsa/22/16/0/1/mat_energy': 5.8987477511095194e-12,
    'mlsa/22/16/0/1/nan_energy': 9.7895795851825345e-14,
    'mlsa/22/16/1/0/energy': 1.4311777823307125e-11,
    'mlsa/22/16/1/0/mat_energy': 4.8424261665243435e-11,
    'mlsa/22/16/1/0/nan_energy': 9.3330616314860047e-13,
    'mlsa/22/16/1/1/energy': 2.0337352138493948e-12,
    'mlsa/22/16/1/1/mat_energy': 8.3734284013443552e-12,
    'mlsa/22/16/1/1/nan_energy': 1.3550582160047737e-13,
    'mlsa/22/32/0/0/energy': 1.9423162509090893e-12,
    'mlsa/22/32/0/0/mat_energy': 8.3406410753246665e-12,
    'mlsa/22/32/0/0/nan_energy': 1.385940179220778e-13,
    'mlsa/22/32/0/1/energy': 1.9423162509090893e-12,
    'mlsa/22/32/0/1/mat_energy': 8.3406410753246665e-12,
    'mlsa/22/32/0/1/nan_energy': 1.385940179220778e-13,
    'mlsa/22/32/1/0/energy': 3.6069816708727465e-11,
    'mlsa/22/32/1/0/mat_energy': 1.2077040819377959e-10,
    'mlsa/22/32/1/0/nan_energy': 2.3348051290452244e-12,
    'mlsa/22/32/1/1/energy': 3.4725980768417997e-12,
    'mlsa/22/32/1/1/mat_energy': 1.4118509281966591e-11,
    'mlsa/22/32/1/1/nan_energy': 2.2476716586212267e-13,
    'mlsa/22/64/0/0/energy': 3.0590510671831353e-12,
    'mlsa/22/64/0/0/mat_energy': 1.3126647430784859e-11,
    'mlsa/22/64/0/0/nan_energy': 2.1836079051308103e-13,
    'mlsa/22/64/0/1/energy': 3.0590510671831353e-12,
    'mlsa/22/64/0/1/mat_energy': 1.3126647430784859e-11,
    'mlsa/22/64/0/1/nan_energy': 2.1836079051308103e-13,
    'mlsa/22/64/1/0/energy': 8.5250556377599859e-11,
    'mlsa/22/64/1/0/mat_energy': 2.8422345095559739e-10,
    'mlsa/22/64/1/0/nan_energy': 5.4993029949016597e-12,
    'mlsa/22/64/1/1/energy': 7.5693752574201388e-12,
    'mlsa/22/64/1/1/mat_energy': 3.0220773980778411e-11,
    'mlsa/22/64/1/1/nan_energy': 4.7126539293021427e-13,
    'mlsa/7/16/0/0/energy': 6.2180104558362489e-13,
    'mlsa/7/16/0/0/mat_energy': 2.6812901953583934e-12,
    'mlsa/7/16/0/0/nan_energy': 4.4271503255973213e-14,
    'mlsa/7/16/0/1/energy': 6.2180104558362489e-13,
    'mlsa/7/16/0/1/mat_energy': 2.6812901953583934e-12,
    'mlsa/7/16/0/1/nan_energy': 4.4271503255973213e-14,
    'mlsa/7/16/1/0/energy': 1.7826597266603593e-12,
    'mlsa/7/16/1/0/mat_energy': 7.3216289709674489e-12,
    'mlsa/7/16/1/0/nan_energy': 1.121015652682546e-13,
    'mlsa/7/16/1/1/energy': 6.5579588954975552e-13,
    'mlsa/7/16/1/1/mat_energy': 2.8060732085583663e-12,
    'mlsa/7/16/1/1/nan_energy': 4.627566222064799e-14,
    'mlsa/7/32/0/0/energy': 1.0086874103875032e-12,
    'mlsa/7/32/0/0/mat_energy': 4.3393746159464425e-12,
    'mlsa/7/32/0/0/nan_energy': 7.1906243599107376e-14,
    'mlsa/7/32/0/1/energy': 1.0086874103875032e-12,
    'mlsa/7/32/0/1/mat_energy': 4.3393746159464425e-12,
    'mlsa/7/32/0/1/nan_energy': 7.1906243599107376e-14,
    'mlsa/7/32/1/0/energy': 4.0501400293994562e-12,
    'mlsa/7/32/1/0/mat_energy': 1.5646278210060309e-11,
    'mlsa/7/32/1/0/nan_energy': 2.5498862654228999e-13,
    'mlsa/7/32/1/1/energy': 1.0835667449960748e-12,
    'mlsa/7/32/1/1/mat_energy': 4.6202145348693386e-12,
    'mlsa/7/32/1/1/nan_energy': 7.623683567471746e-14,
    'mlsa/7/64/0/0/energy': 1.7738747951785562e-12,
    'mlsa/7/64/0/0/mat_energy': 7.6187491221938119e-12,
    'mlsa/7/64/0/0/nan_energy': 1.2656248536989687e-13,
    'mlsa/7/64/0/1/energy': 1.7738747951785562e-12,
    'mlsa/7/64/0/1/mat_energy': 7.6187491221938119e-12,
    'mlsa/7/64/0/1/nan_energy': 1.2656248536989687e-13,
    'mlsa/7/64/1/0/energy': 9.2617571924334868e-12,
    'mlsa/7/64/1/0/mat_energy': 3.4444789156698114e-11,
    'mlsa/7/64/1/0/nan_energy': 5.8368249934781415e-13,
    'mlsa/7/64/1/1/energy': 1.9307104006054714e-12,
    'mlsa/7/64/1/1/mat_energy': 8.2124658198708316e-12,
    'mlsa/7/64/1/1/nan_energy': 1.3555478724631107e-13,
    'mlsa/1/16/0/0/energy': 3.9099710305856963e-13,
    'mlsa/1/16/0/0/mat_energy': 1.6921304416795831e-12,
    'mlsa/1/16/0/0/nan_energy': 2.7785507361326396e-14,
    'mlsa/1/16/0/1/energy': 3.9099710305856963e-13,
    'mlsa/1/16/0/1/mat_energy': 1.6921304416795831e-12,
    'mlsa/1/16/0/1/nan_energy': 2.7785507361326396e-14,
    'mlsa/1/16/1/0/energy': 1.1395752756492931e-12,
    'mlsa/1/16/1/0/mat_energy': 4.8222608203610602e-12,
    'mlsa/1/16/1/0/nan_energy': 7.0387193538758674e-14,
    'mlsa/1/16/1/1/energy': 4.1442726405474353e-13,
    'mlsa/1/16/1/1/mat_energy': 1.775631666310696e-12,
    'mlsa/1/16/1/1/nan_energy': 2.9175500396637885e-14,
    'mlsa/1/32/0/0/energy': 5.2034079460735053e-13,
    'mlsa/1/32/0/0/mat_energy': 2.2464605483172166e-12,
    'mlsa/1/32/0/0/nan_energy': 3.7024342471953603e-14,
    'mlsa/1/32/0/1/energy': 5.2034079460735053e-13,
    'mlsa/1/32/0/1/mat_energy': 2.2464605483172166e-12,
    'mlsa/1/32/0/1/nan_energy': 3.7024342471953603e-14,
    'mlsa/1/32/1/0/energy': 2.4323979306997971e-12,
    'mlsa/1/32/1/0/mat_energy': 9.6334976327201917e-12,
    'mlsa/1/32/1/0/nan_energy': 1.4969592626301599e-13,
    'mlsa/1/32/1/1/energy': 5.7245239203081487e-13,
    'mlsa/1/32/1/1/mat_energy': 2.4400723297107886e-12,
    'mlsa/1/32/1/1/nan_energy': 4.0036358441965316e-14,
    'mlsa/1/64/0/0/energy': 7.7018140450782037e-13,
    'mlsa/1/64/0/0/mat_energy': 3.3172060193192316e-12,
    'mlsa/1/64/0/0/nan_energy': 5.4870100321987189e-14,
    'mlsa/1/64/0/1/energy': 7.7018140450782037e-13,
    'mlsa/1/64/0/1/mat_energy': 3.3172060193192316e-12,
    'mlsa/1/64/0/1/nan_energy': 5.4870100321987189e-14,
    'mlsa/1/64/1/0/energy': 5.2727503280918762e-12,
    'mlsa/1/64/1/0/mat_energy': 2.0017354005422437e-11,
    'mlsa/1/64/1/0/nan_energy': 3.2460033159740065e-13,
    'mlsa/1/64/1/1/energy': 8.7979272137407326e-13,
    'mlsa/1/64/1/1/mat_energy': 3.7315932944182145e-12,
    'mlsa/1/64/1/1/nan_energy': 6.1132727439186276e-14,
}


# ------------------------------------------------------------------------------------------
NODES = [22, 7, 1]
LEVELS = [16, 32, 64]


def make_adc(ctx, levels: int, current_mode: bool, parallel: bool):
    ctx.param.dumcolshared = levels  # Param.cpp: dumcolshared = levelOutput
    adc = ctx.circuit("adc")(ctx)
    adc.initialize(16, levels, 1e9, 128, parallel, current_mode)
    return adc


@pytest.mark.parametrize("node", NODES)
@pytest.mark.parametrize("levels", LEVELS)
@pytest.mark.parametrize("current_mode", [True, False])
@pytest.mark.parametrize("parallel", [True, False])
def test_multilevel_sense_amp_matches_cpp(node, levels, current_mode, parallel):
    ctx = make_ctx(node)
    m = make_adc(ctx, levels, current_mode, parallel)
    m.calculate_area(0, 1.5e-5, AreaModify.NONE)
    b = f"mlsa/{node}/{levels}/{int(current_mode)}/{int(parallel)}/"
    for key, value in (("area", m.area), ("height", m.height), ("width", m.width)):
        check(REF, b + key, value)
    m.calculate_latency(COLUMN_RES, 1, 1)
    check(REF, b + "latency", m.read_latency)
    m.calculate_power(COLUMN_RES, 2)
    check(REF, b + "energy", m.read_dynamic_energy)
    check(REF, b + "leakage", m.leakage)
    m.calculate_power(COLUMN_RES_NAN, 1)  # a NaN column adds no static energy (C++ MAX)
    check(REF, b + "nan_energy", m.read_dynamic_energy)
    m2 = make_adc(ctx, levels, current_mode, parallel)
    m2.calculate_area(2.0e-6, 0, AreaModify.NONE)
    check(REF, b + "area_h", m2.area)
    check(REF, b + "width_h", m2.width)


@pytest.mark.parametrize("node", NODES)
@pytest.mark.parametrize("levels", LEVELS)
@pytest.mark.parametrize("current_mode", [True, False])
@pytest.mark.parametrize("parallel", [True, False])
def test_multilevel_sense_amp_vectorized_equals_scalar_loop(node, levels, current_mode,
                                                            parallel):
    ctx = make_ctx(node)
    m = make_adc(ctx, levels, current_mode, parallel)
    mat, reads = matrix(REF), np.arange(1, 6, dtype=float)
    lat, energy = [], []
    for row, n in zip(mat, reads):
        m.calculate_latency(list(row), 8, n)
        lat.append(m.read_latency)
        m.calculate_power(list(row), n)
        energy.append(m.read_dynamic_energy)
    m.calculate_latency(mat, 8, reads)
    m.calculate_power(mat, reads)
    assert m.read_latency_per_vector.tolist() == lat
    assert m.read_dynamic_energy_per_vector.tolist() == energy
    assert m.read_latency == functools.reduce(operator.add, lat, 0.0)  # C++ += order
    assert m.read_dynamic_energy == functools.reduce(operator.add, energy, 0.0)
    # the C++ loop over the same vectors, accumulating each call's result
    b = f"mlsa/{node}/{levels}/{int(current_mode)}/{int(parallel)}/"
    check(REF, b + "mat_latency", m.read_latency)
    check(REF, b + "mat_energy", m.read_dynamic_energy)
    assert np.asarray(m.get_column_power(mat)).tolist() == [
        [m.get_column_power(r) for r in row] for row in mat]
    # rows of one value (SRAM columns) take the first-column shortcut: same numbers
    uniform = np.repeat(np.asarray(mat)[:, :1], 5, axis=1)
    assert np.asarray(m.get_column_power(uniform)).tolist() == [
        [m.get_column_power(r) for r in row] for row in uniform]


@pytest.mark.parametrize("node", NODES)
@pytest.mark.parametrize("levels", LEVELS)
@pytest.mark.parametrize("current_mode", [True, False])
def test_integer_division_defect_in_switching_energy(node, levels, current_mode):
    """With compat_bugs off, 1/(levelOutput-1) is a real division (reference: the same C++
    with `1.0/(levelOutput-1)`); the energy grows by about columncap*Vread^2 per column."""
    b = f"mlsa/{node}/{levels}/{int(current_mode)}/1/"
    ctx = make_ctx(node, compat_bugs=False)
    m = make_adc(ctx, levels, current_mode, True)
    m.calculate_power(COLUMN_RES, 2)
    check(REF_FIXED, b + "energy", m.read_dynamic_energy)
    # hand calculation of the difference: 2 reads x 21 columns x (levels-1) comparators x
    # (columncap*2) * (1/(levels-1)) / 2 * Vread^2
    extra = 2 * len(COLUMN_RES) * (levels - 1) * (3.1e-14 * 2) * (1 / (levels - 1)) / 2 \
        * vread(node) ** 2
    assert REF_FIXED[b + "energy"] - REF[b + "energy"] == pytest.approx(extra, rel=1e-9)


def test_adc_is_chosen_by_configuration():
    ctx = build_context(load_config(overrides={"tech": "22nm", "adc": "mlsa"}))
    assert ctx.circuit("adc").__name__ == "MultilevelSenseAmp"
    assert ctx.circuit("adc").needs_encoder is True
    entry = ctx.registry.entry("peripheral", "mlsa", role="adc")
    assert entry.distribution == "neurosim-peripheral-adc-mlsa"


def test_adc_contract_keyword_calls():
    """The calls the engine makes on any ADC (see the class docstring's contract)."""
    ctx = make_ctx(22)
    ctx.param.dumcolshared = 32
    adc = ctx.circuit("adc")(ctx)
    adc.initialize(num_col=16, level_output=32, clk_freq=1e9,
                   num_read_cell_per_operation_neuro=128, parallel=True, current_mode=True)
    adc.calculate_unit_area()
    adc.calculate_area(0, 1.5e-5, AreaModify.NONE)
    adc.calculate_latency(column_resistance=COLUMN_RES, num_col_muxed=1, num_read=1)
    adc.calculate_power(column_resistance=COLUMN_RES, num_read=2)
    check(REF, "mlsa/22/32/1/1/area", adc.area)
    check(REF, "mlsa/22/32/1/1/latency", adc.read_latency)
    check(REF, "mlsa/22/32/1/1/energy", adc.read_dynamic_energy)
    assert adc.read_latency_per_vector.shape == adc.read_dynamic_energy_per_vector.shape == (1,)


def test_missing_second_reference_is_a_clear_error():
    from neurosim.errors import NeuroSimError

    ctx = make_ctx(22)
    m = make_adc(ctx, 2, True, True)  # one reference: NeuroSim would read Rref[1] out of range
    with pytest.raises(NeuroSimError, match="level_output=2"):
        m.calculate_latency(COLUMN_RES, 1, 1)
    with pytest.raises(NeuroSimError, match="no width or height"):
        m.calculate_area(0, 0, AreaModify.NONE)
