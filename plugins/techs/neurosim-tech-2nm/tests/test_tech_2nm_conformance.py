"""The plugin author kit's standard checks for the 2nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech2nm(TechConformance):
    tech_name = "2nm"
    distribution = "neurosim-tech-2nm"
