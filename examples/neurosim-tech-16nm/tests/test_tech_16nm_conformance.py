"""The plugin author kit's standard checks for the example 16 nm node.

The node ships no Cadence circuit fits (none are published for it), so the kit's estimates
run with ``fit_fallback = "nearest"``: the circuits borrow the 14 nm fits, with a warning.
"""

from neurosim.testing.conformance import TechConformance


class TestTech16nm(TechConformance):
    tech_name = "16nm"
    distribution = "neurosim-tech-16nm"
    fit_fallback = "nearest"
