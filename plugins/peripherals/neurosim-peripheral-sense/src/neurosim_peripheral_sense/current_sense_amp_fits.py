"""Node-independent constants of NeuroSim V1.4's current-sense-amplifier column fits.

The per-node Cadence fits of ``CurrentSenseAmp::GetColumnLatency`` / ``GetColumnPower`` (PTM
models, read voltage normalised to 0.5 V) are node data: ``circuit_fits.current_sense_amp`` of
each node plugin's ``node.json``, read with ``tech.circuit_fit("current_sense_amp", datum)``:

* ``lstp_latency``: ``{"a", "b", "low_poly", "high_poly"}``, ``T_max = (a*ln(R/1 kOhm) + b)
  * 1 ns`` scaled below ratio 0.9 (cubic ``low_poly``) and above 1.1 (quartic ``high_poly``)
  in ``ratio = Rref/R``, coefficients highest power first; or ``{"flat_s"}``, a flat latency
  (NeuroSim's 1 ns at 22 nm and below). The HP roadmap always uses 1 ns.
* ``hp_power`` / ``lstp_power``: ``{"c_uw", "a", "b"}``, ``P = c*1 uW + a*exp(-b*log10(R))``.
"""

from __future__ import annotations

#: Name of the circuit's block in the node data (``node.json`` ``circuit_fits``).
CIRCUIT = "current_sense_amp"

#: Ratio bounds of the latency fit.
RATIO_FLAT_HIGH, RATIO_FLAT_LOW = 20.0, 0.05
LOW_BOUND, MID_BOUND, UP_BOUND = 0.9, 1.1, 3.0
#: Latency outside the fitted ratio range and at nodes without a fit (s).
DEFAULT_LATENCY_S = 1e-9

#: Power of a column whose resistance is infinite (no cell conducts), W.
OPEN_COLUMN_POWER_W = 1e-6
