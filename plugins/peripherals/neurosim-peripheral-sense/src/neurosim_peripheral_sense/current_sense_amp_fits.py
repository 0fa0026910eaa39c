"""Cadence-fitted column latency and power of NeuroSim V1.4's current sense amplifier.

Data of ``CurrentSenseAmp::GetColumnLatency`` / ``GetColumnPower`` (PTM models, read voltage
normalised to 0.5 V). Polynomial coefficients are listed highest power first.
"""

from __future__ import annotations

#: LSTP latency fit per node: ``T_max = (a*ln(R/1 kOhm) + b) * 1 ns`` and the two polynomials
#: in ``ratio = Rref/R`` that scale it below 0.9 (cubic) and above 1.1 (quartic).
#: 45 and 32 nm share one fit; other nodes use a flat 1 ns.
LSTP_LATENCY_FITS: dict[int, tuple[float, float, tuple[float, ...], tuple[float, ...]]] = {
    130: (0.2679, 0.0478, (3.915, -5.3996, 2.4653, 0.3856),
          (0.0004, -0.0087, 0.0742, -0.2725, 1.2211)),
    90: (0.0586, 1.41, (3.726, -5.651, 2.8249, 0.3574),
         (0.0000008, -0.00007, 0.0017, -0.0188, 0.9835)),
    65: (0.1239, 0.6642, (1.3899, -2.6913, 2.0483, 0.3202),
         (0.0036, -0.0363, 0.1043, -0.0346, 1.0512)),
    45: (0.0714, 0.7651, (3.7949, -5.6685, 2.6492, 0.4807),
         (0.000001, -0.00006, 0.0001, -0.0171, 1.0057)),
}
LSTP_LATENCY_FITS[32] = LSTP_LATENCY_FITS[45]

#: Ratio bounds of the latency fit.
RATIO_FLAT_HIGH, RATIO_FLAT_LOW = 20.0, 0.05
LOW_BOUND, MID_BOUND, UP_BOUND = 0.9, 1.1, 3.0
#: Latency outside the fitted ratio range and at nodes without a fit (s).
DEFAULT_LATENCY_S = 1e-9

#: Column power ``P = c*1 uW + a*exp(-b*log10(R))`` per node: (c, a, b).
#: HP: nodes not listed use the 7 nm entry; LSTP: nodes not listed use the 1 nm entry.
HP_POWER_FITS: dict[int, tuple[float, float, float]] = {
    130: (19.898, 0.207452, 2.367), 90: (13.09, 0.164900, 2.345),
    65: (9.9579, 0.128483, 2.321), 45: (7.7017, 0.097754, 2.296),
    32: (3.9648, 0.083709, 2.313), 22: (1.8939, 0.084273, 2.311),
    14: (1.2, 0.060584, 2.311), 10: (0.8, 0.049418, 2.311), 7: (0.5, 0.040310, 2.311),
}
HP_POWER_DEFAULT_NODE = 7
LSTP_POWER_FITS: dict[int, tuple[float, float, float]] = {
    130: (18.09, 0.169380, 2.303), 90: (12.612, 0.144323, 2.303),
    65: (8.4147, 0.121272, 2.303), 45: (6.3162, 0.100225, 2.303),
    32: (3.0875, 0.079449, 2.297), 22: (1.7, 0.072341, 2.303),
    14: (1.0, 0.061085, 2.303), 10: (0.55, 0.051580, 2.303), 7: (0.35, 0.0235, 2.303),
    5: (0.25914, 0.018602, 2.303), 3: (0.192217, 0.01491, 2.303),
    2: (0.16546, 0.013349, 2.303), 1: (0.142427, 0.01195, 2.303),
}
LSTP_POWER_DEFAULT_NODE = 1
#: Power of a column whose resistance is infinite (no cell conducts), W.
OPEN_COLUMN_POWER_W = 1e-6
