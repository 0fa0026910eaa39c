"""The plugin author kit's standard checks for the 90nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech90nm(TechConformance):
    tech_name = "90nm"
    distribution = "neurosim-tech-90nm"
