"""Cadence-fitted column power of NeuroSim V1.4's SAR ADC (``SarADC::GetColumnPower``).

``P = (c1*log2(levelOutput) + c0) * 1 uW + a*exp(-b*log10(R))`` with R the column resistance
normalised to a 0.5 V read; entries are (c1, c0, a, b) per node (nm).
"""

from __future__ import annotations

#: HP roadmap; nodes not listed use the 7 nm entry.
HP_POWER: dict[int, tuple[float, float, float, float]] = {
    130: (6.4806, 49.047, 0.207452, 2.367), 90: (4.3474, 31.782, 0.164900, 2.345),
    65: (2.9503, 22.047, 0.128483, 2.321), 45: (2.1843, 11.931, 0.097754, 2.296),
    32: (1.0157, 7.6286, 0.083709, 2.313), 22: (0.7213, 3.3041, 0.084273, 2.311),
    14: (0.4710, 1.9529, 0.060584, 2.311), 10: (0.3076, 1.1543, 0.049418, 2.311),
    7: (0.2008, 0.6823, 0.040310, 2.311),
}
HP_DEFAULT_NODE = 7

#: LSTP roadmap (projected down to 1 nm in V1.4); nodes not listed use the 1 nm entry.
LSTP_POWER: dict[int, tuple[float, float, float, float]] = {
    130: (8.4483, 65.243, 0.169380, 2.303), 90: (5.9869, 37.462, 0.144323, 2.303),
    65: (3.7506, 25.844, 0.121272, 2.303), 45: (2.1691, 16.693, 0.100225, 2.303),
    32: (1.1294, 8.8998, 0.079449, 2.297), 22: (0.538, 4.3753, 0.072341, 2.303),
    14: (0.3132, 2.5681, 0.061085, 2.303), 10: (0.1823, 1.5073, 0.051580, 2.303),
    7: (0.1061, 0.8847, 0.043555, 2.303), 5: (0.0645, 0.5511, 0.0388, 2.303),
    3: (0.0333, 0.2849, 0.0388, 2.303), 2: (0.0207, 0.1764, 0.0313, 2.303),
    1: (0.0101, 0.0843, 0.0288, 2.303),
}
LSTP_DEFAULT_NODE = 1

#: Power of a column whose resistance is infinite (no cell conducts), W.
OPEN_COLUMN_POWER_W = 1e-6
#: Time of one SAR cycle (s); a conversion takes log2(levelOutput)+1 cycles.
CYCLE_S = 1e-9
#: Transistor count of a 1-bit SAR slice and per extra bit: (NMOS, PMOS).
BASE_TRANSISTORS = (269, 209)
PER_BIT_TRANSISTORS = (109, 73)
