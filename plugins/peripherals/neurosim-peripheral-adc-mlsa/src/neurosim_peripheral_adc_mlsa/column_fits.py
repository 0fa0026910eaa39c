"""Cadence-fitted tables of NeuroSim V1.4's multilevel sense amplifier (MultilevelSenseAmp.cpp).

``ColumnLatency_Table``: sensing latency against the reference resistance, piecewise
``a*ln(R) + b`` / ``a*R + b`` per node and mode, plus a column-capacitance correction above
``resthreshold``. ``GetColumnPower``: static power of the current mirrors against the column
resistance (normalised to a 0.5 V read).
"""

from __future__ import annotations

from dataclasses import dataclass

LOG, LIN = "log", "lin"


@dataclass(frozen=True)
class Piece:
    """One piece ``a*f(R) + b`` of a fit, used while ``R < upper`` (``None``: the last piece)."""

    upper: float | None
    kind: str  # LOG: f = ln, LIN: f = identity
    a: float
    b: float


@dataclass(frozen=True)
class LatencyFit:
    """Latency fit of one node and mode and its column-cap correction constants."""

    pieces: tuple[Piece, ...]
    refcap_f: float  # column capacitance of the simulated reference, F
    dc_s: float  # latency increase fitting parameter, s
    r2_ohm: float  # fitting resistance, Ohm
    resthreshold_ohm: float  # resistance above which the column cap matters, Ohm


def _fit(pieces, refcap, dc, r2, thr) -> LatencyFit:
    return LatencyFit(tuple(Piece(*p) for p in pieces), refcap, dc, r2, thr)


#: Current-sense (CSA) latency fits by node (nm).
CSA_LATENCY: dict[int, LatencyFit] = {
    130: _fit([(1832, LOG, -1.18573E-10, 2.54175E-09), (None, LIN, 3.78659E-14, 2.60629E-09)],
              26.62E-15, 2.0E-9, 0.1E+6, 1.95E+3),
    90: _fit([(4832, LOG, -1.08914E-10, 2.43204E-09), (None, LIN, 2.8688E-14, 2.31147E-09)],
             18.4E-15, 1.5E-9, 0.1E+6, 4.83E+3),
    65: _fit([(4832, LOG, -8.11436E-11, 2.2554E-09), (None, LIN, 2.12366E-14, 2.14339E-09)],
             13.3E-15, 1.2E-9, 0.1E+6, 4.83E+3),
    45: _fit([(4832, LOG, -1.12976E-10, 2.16762E-09), (None, LIN, 1.54619E-14, 1.60263E-09)],
             9.21E-15, 0.81E-9, 0.1E+6, 4.83E+3),
    32: _fit([(4832, LOG, -1.31777E-10, 2.03151E-09), (None, LIN, 1.15509E-14, 1.19475E-09)],
             6.55E-15, 0.55E-9, 0.1E+6, 4.83E+3),
    22: _fit([(4832, LOG, -1.32118E-10, 1.7552E-09), (None, LIN, 8.02517E-15, 8.51803E-10)],
             4.5E-15, 0.31E-9, 0.1E+6, 12.7E+3),
    14: _fit([(812, LOG, -7.01209E-11, 1.21771E-09), (2962, LOG, -2.11644E-11, 8.96216E-10),
              (None, LIN, 6.18337E-15, 8.17633E-10)], 2.86E-15, 0.29E-9, 0.1E+6, 12.7E+3),
    10: _fit([(1128, LOG, -7.20238E-11, 1.18578E-09), (4832, LOG, -1.81368E-11, 8.16065E-10),
              (None, LIN, 4.72185E-15, 7.28474E-10)], 2.04E-15, 0.27E-9, 0.1E+6, 12.7E+3),
    7: _fit([(4832, LOG, -4.67061E-11, 1.03708E-09), (None, LIN, 3.72084E-15, 7.02172E-10)],
            1.43E-15, 0.13E-9, 0.1E+6, 12.7E+3),
    5: _fit([(4832, LOG, -4.33009E-11, 9.79525E-10), (7847, LOG, -3.15954E-12, 6.53005E-10),
             (None, LIN, 2.77641E-15, 6.46706E-10)], 1.02E-15, 0.09E-9, 0.1E+6, 12.7E+3),
    3: _fit([(4832, LOG, -3.62939E-11, 9.04595E-10), (7847, LOG, -8.05167E-12, 6.69134E-10),
             (None, LIN, 2.02367E-15, 6.04792E-10)], 0.61E-15, 0.05E-9, 0.1E+6, 12.7E+3),
    2: _fit([(4832, LOG, -3.70119E-11, 8.91946E-10), (12742, LOG, -7.45304E-12, 6.42667E-10),
             (None, LIN, 1.74295E-15, 5.82625E-10)], 0.4E-15, 0.034E-9, 0.1E+6, 20.06E+3),
    1: _fit([(4832, LOG, -3.81168E-11, 8.78701E-10), (12742, LOG, -2.01799E-11, 7.25185E-10),
             (None, LIN, 1.19486E-15, 5.35253E-10)], 0.2E-15, 0.013E-9, 0.1E+6, 20.06E+3),
}

#: Voltage-sense (VSA) latency fits by node (nm).
VSA_LATENCY: dict[int, LatencyFit] = {
    130: _fit([(1832, LOG, -1.6656E-10, 2.86608E-09), (None, LIN, 3.36654E-14, 2.33047E-09)],
              26.62E-15, 2.12E-9, 0.1E+6, 1.95E+3),
    90: _fit([(1956, LOG, -8.13238E-11, 1.9981E-09), (None, LIN, 2.76205E-14, 1.87593E-09)],
             18.4E-15, 1.8E-9, 0.1E+6, 4.83E+3),
    65: _fit([(1210, LOG, -1.15612E-10, 2.08218E-09), (3161, LOG, -1.00285E-11, 1.35472E-09),
              (None, LIN, 2.03232E-14, 1.61564E-09)], 13.3E-15, 1.3E-9, 0.1E+6, 4.83E+3),
    45: _fit([(695, LOG, -2.66629E-10, 3.07867E-09), (4832, LOG, -6.27624E-11, 1.78932E-09),
              (None, LIN, 1.43578E-14, 1.46251E-09)], 9.21E-15, 0.9E-9, 0.1E+6, 4.83E+3),
    32: _fit([(4832, LOG, -1.8746E-10, 2.44191E-09), (None, LIN, 1.07272E-14, 1.05695E-09)],
             6.55E-15, 0.7E-9, 0.1E+6, 12.7E+3),
    22: _fit([(4832, LOG, -2.01894E-10, 2.2559E-09), (None, LIN, 7.45392E-15, 6.72844E-10)],
             4.5E-15, 0.47E-9, 0.1E+6, 12.7E+3),
    14: _fit([(695, LOG, -1.17191E-10, 1.51724E-09), (1832, LOG, -3.56669E-11, 1.00049E-09),
              (None, LIN, 5.484E-15, 7.4812E-10)], 2.86E-15, 0.34E-9, 0.1E+6, 12.7E+3),
    10: _fit([(2976, LOG, -5.88954E-11, 1.12213E-09), (7847, LOG, -1.03546E-11, 7.46313E-10),
              (None, LIN, 4.02595E-15, 6.64175E-10)], 2.04E-15, 0.24E-9, 0.1E+6, 12.7E+3),
    7: _fit([(1956, LOG, -9.29209E-11, 1.36675E-09), (8251, LOG, -2.32202E-11, 8.55312E-10),
             (None, LIN, 2.96941E-15, 6.3388E-10)], 1.43E-15, 0.17E-9, 0.1E+6, 12.7E+3),
    5: _fit([(20691.38, LOG, -3.58902E-11, 9.45003E-10), (33598.18, LOG, 4.1847E-11, 2.03225E-10),
             (None, LIN, 2.17318E-15, 5.90032E-10)], 1.02E-15, 0.12E-9, 0.1E+6, 12.7E+3),
    3: _fit([(20691.38, LOG, -4.80094E-11, 1.02891E-09), (33598.18, LOG, 1.46916E-11, 4.37023E-10),
             (None, LIN, 1.39879E-15, 5.42026E-10)], 0.61E-15, 0.34E-9, 0.5E+6, 49.6E+3),
    2: _fit([(3161.018, LOG, -1.44146E-10, 1.72384E-09), (34798.92, LOG, -3.01414E-11, 8.19483E-10),
             (None, LIN, 6.80209E-16, 4.60774E-10)], 0.4E-15, 0.23E-9, 0.5E+6, 49.6E+3),
    1: _fit([(5107, LOG, -6.09403E-11, 1.06251E-09), (34798.92, LOG, -4.20915E-11, 8.98944E-10),
             (None, LIN, 5.44698E-16, 4.38466E-10)], 0.2E-15, 0.11E-9, 0.5E+6, 60.9E+3),
}

#: CSA static power, HP roadmap: ``c*(levelOutput-1)*1 uW + a*exp(-b*log10(R))``, (c, a, b).
#: Nodes not listed use the 7 nm entry (NeuroSim marks 14/10/7 nm HP as unsupported dummies).
CSA_HP_POWER: dict[int, tuple[float, float, float]] = {
    130: (19.898, 0.17452, 2.367), 90: (13.09, 0.14900, 2.345), 65: (9.9579, 0.1083, 2.321),
    45: (7.7017, 0.0754, 2.296), 32: (3.9648, 0.079, 2.313), 22: (1.8939, 0.073, 2.311),
    14: (1.2, 0.0584, 2.311), 10: (0.8, 0.0318, 2.311), 7: (0.5, 0.0210, 2.311),
}
CSA_HP_POWER_DEFAULT_NODE = 7

#: CSA static power (current-mirror leakage), LSTP roadmap, per level: pieces in R (Ohm).
#: Nodes not listed use the 1 nm entry.
CSA_LSTP_POWER: dict[int, tuple[Piece, ...]] = {
    node: tuple(Piece(*p) for p in pieces) for node, pieces in {
        130: [(4832, LIN, -4.12599E-11, 1.48536E-06), (379269, LOG, -2.6617E-07, 3.56576E-06),
              (None, LOG, -1.25872E-07, 1.81453E-06)],
        90: [(4832, LIN, -1.67004E-11, 8.54958E-07), (379269, LOG, -1.50719E-07, 2.0858E-06),
             (None, LOG, -8.89685E-08, 1.3007E-06)],
        65: [(4832, LIN, -6.08647E-12, 4.82814E-07), (379269, LOG, -8.03449E-08, 1.16437E-06),
             (None, LOG, -6.01171E-08, 8.9355E-07)],
        45: [(4832, LIN, -3.96471E-12, 3.44344E-07), (379269, LOG, -5.66235E-08, 8.27849E-07),
             (None, LOG, -4.32673E-08, 6.46111E-07)],
        32: [(4832, LIN, -6.72783E-12, 4.19847E-07), (379269, LOG, -7.28881E-08, 1.02677E-06),
             (None, LOG, -4.35333E-08, 6.4697E-07)],
        22: [(4832, LIN, -2.85373E-11, 9.16744E-07), (379269, LOG, -1.63133E-07, 2.1687E-06),
             (None, LOG, -5.8712E-08, 8.64648E-07)],
        14: [(7847, LIN, -3.11213E-13, 5.34821E-08), (None, LOG, -9.64978E-09, 1.44527E-07)],
        10: [(20691, LIN, -3.27225E-13, 5.54082E-08), (None, LOG, -9.99199E-09, 1.49539E-07)],
        7: [(20691, LIN, -2.62089E-13, 4.7357E-08), (None, LOG, -8.49198E-09, 1.27848E-07)],
        5: [(20691, LIN, -1.4179E-13, 3.31434E-08), (None, LOG, -5.76552E-09, 8.89536E-08)],
        3: [(20691, LIN, -1.17664E-13, 2.96368E-08), (None, LOG, -5.09202E-09, 7.91852E-08)],
        2: [(20691, LIN, -2.01487E-13, 4.21066E-08), (None, LOG, -7.43005E-09, 1.13414E-07)],
        1: [(20691, LIN, -1.68865E-13, 3.80513E-08), (None, LOG, -6.64737E-09, 1.02221E-07)],
    }.items()
}
CSA_LSTP_POWER_DEFAULT_NODE = 1

#: Power of a column whose resistance is infinite (no cell conducts), W.
OPEN_COLUMN_POWER_W = 1e-6

#: Read voltage per node assumed by the switching-energy model (V); other nodes: 0.
SWITCHING_VREAD_V: dict[int, float] = {
    130: 0.58, 90: 0.58, 65: 0.55, 45: 0.51, 32: 0.51, 22: 0.55, 14: 0.277, 10: 0.28,
    7: 0.264, 5: 0.253, 3: 0.248, 2: 0.28, 1: 0.272,
}
