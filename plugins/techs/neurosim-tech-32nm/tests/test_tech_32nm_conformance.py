"""The plugin author kit's standard checks for the 32nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech32nm(TechConformance):
    tech_name = "32nm"
    distribution = "neurosim-tech-32nm"
