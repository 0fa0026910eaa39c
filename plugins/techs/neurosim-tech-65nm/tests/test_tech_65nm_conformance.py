"""The plugin author kit's standard checks for the 65nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech65nm(TechConformance):
    tech_name = "65nm"
    distribution = "neurosim-tech-65nm"
