"""The standard interconnect checks for ``xybus``."""

from neurosim.testing.conformance_interconnect import (
    UNIT_HEIGHT_M,
    UNIT_WIDTH_M,
    InterconnectConformance,
)


class TestXYBusConformance(InterconnectConformance):
    interconnect_name = "xybus"
    distribution = "neurosim-interconnect-xybus"
    # to the middle tile of the 4 x 4 grid: x_end, y_init, unit H, W, input reads, output reads
    latency_args = (2, 2, UNIT_HEIGHT_M, UNIT_WIDTH_M, 10, 10)
    # ... bits moved in and out
    power_args = (2, 2, UNIT_HEIGHT_M, UNIT_WIDTH_M, 1280, 640)
