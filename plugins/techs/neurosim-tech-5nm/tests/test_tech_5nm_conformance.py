"""The plugin author kit's standard checks for the 5nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech5nm(TechConformance):
    tech_name = "5nm"
    distribution = "neurosim-tech-5nm"
