"""The plugin author kit's standard checks for the 1nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech1nm(TechConformance):
    tech_name = "1nm"
    distribution = "neurosim-tech-1nm"
