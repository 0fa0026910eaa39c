"""The plugin author kit's standard checks for the 130nm node."""

from neurosim.testing.conformance import TechConformance


class TestTech130nm(TechConformance):
    tech_name = "130nm"
    distribution = "neurosim-tech-130nm"
