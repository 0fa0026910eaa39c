"""The plugin author kit's standard checks for the 45nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech45nm(TechConformance):
    tech_name = "45nm"
    distribution = "neurosim-tech-45nm"
