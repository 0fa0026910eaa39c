"""NeuroSim V1.4 defects of the multilevel sense amplifier that change numbers.

Reproduced while ``ctx.bug(name)`` is true (``compat_bugs``, the default); with
``compat_bugs=false`` the corrected arithmetic is used.
"""

from neurosim.engine.compat_bugs import register_bug

MLSA_INTEGER_DIVISION_SWITCHING_ENERGY = register_bug(
    "mlsa_integer_division_switching_energy",
    "MultilevelSenseAmp::CalculatePower: in the column-cap switching energy "
    "`(columncap*2)*(1/(levelOutput-1)+1/dumcolshared)/2*Vread^2` the term 1/(levelOutput-1) "
    "is C++ integer division, 0 for levelOutput > 2",
)
