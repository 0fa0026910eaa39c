"""The plugin author kit's standard checks for the 22nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech22nm(TechConformance):
    tech_name = "22nm"
    distribution = "neurosim-tech-22nm"
