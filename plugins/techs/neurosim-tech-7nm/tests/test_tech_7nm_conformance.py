"""The plugin author kit's standard checks for the 7nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech7nm(TechConformance):
    tech_name = "7nm"
    distribution = "neurosim-tech-7nm"
