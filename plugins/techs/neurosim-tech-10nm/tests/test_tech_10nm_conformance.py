"""The plugin author kit's standard checks for the 10nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech10nm(TechConformance):
    tech_name = "10nm"
    distribution = "neurosim-tech-10nm"
