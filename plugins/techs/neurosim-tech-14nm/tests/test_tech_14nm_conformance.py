"""The plugin author kit's standard checks for the 14nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech14nm(TechConformance):
    tech_name = "14nm"
    distribution = "neurosim-tech-14nm"
