"""The plugin author kit's standard checks for the 3nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech3nm(TechConformance):
    tech_name = "3nm"
    distribution = "neurosim-tech-3nm"
