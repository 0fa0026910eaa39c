"""NeuroSim V1.4 defects in the sensing circuits that change numbers, reproduced for parity.

Each is reproduced while ``ctx.bug(name)`` is true (``compat_bugs``, the default); with
``compat_bugs=false`` the corrected arithmetic is used.
"""

from neurosim.engine.compat_bugs import register_bug

CSA_CHAINED_RATIO_COMPARISON = register_bug(
    "csa_chained_ratio_comparison",
    "CurrentSenseAmp::GetColumnLatency (LSTP, 130-32 nm) tests `mid_bound <= ratio <= up_bound`, "
    "which C++ evaluates as `(mid_bound <= ratio) <= 3` (always true), so reference ratios "
    "between 0.9 and 1.1 use the high-ratio polynomial instead of T_max",
)
