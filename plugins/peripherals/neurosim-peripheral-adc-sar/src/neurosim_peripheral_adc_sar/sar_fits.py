"""Node-independent constants of NeuroSim V1.4's SAR ADC (``SarADC``).

The per-node Cadence fits of ``SarADC::GetColumnPower`` are node data: ``circuit_fits.sar``
of each node plugin's ``node.json`` (``hp_power`` / ``lstp_power``, each
``{"c1_uw", "c0_uw", "a", "b"}``), read with ``tech.circuit_fit("sar", datum)``:
``P = (c1*log2(levelOutput) + c0) * 1 uW + a*exp(-b*log10(R))`` with R the column resistance
normalised to a 0.5 V read.
"""

from __future__ import annotations

#: Name of the circuit's block in the node data (``node.json`` ``circuit_fits``).
CIRCUIT = "sar"

#: Power of a column whose resistance is infinite (no cell conducts), W.
OPEN_COLUMN_POWER_W = 1e-6
#: Time of one SAR cycle (s); a conversion takes log2(levelOutput)+1 cycles.
CYCLE_S = 1e-9
#: Transistor count of a 1-bit SAR slice and per extra bit: (NMOS, PMOS).
BASE_TRANSISTORS = (269, 209)
PER_BIT_TRANSISTORS = (109, 73)
