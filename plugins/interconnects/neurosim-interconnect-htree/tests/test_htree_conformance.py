"""The standard interconnect checks for ``htree``."""

from neurosim.testing.conformance_interconnect import (
    UNIT_HEIGHT_M,
    UNIT_WIDTH_M,
    InterconnectConformance,
)


class TestHTreeConformance(InterconnectConformance):
    interconnect_name = "htree"
    distribution = "neurosim-interconnect-htree"
    # root (global buffer) to the tile at (1, 2): x_init, y_init, x_end, y_end, unit H, W, reads
    latency_args = (0, 0, 1, 2, UNIT_HEIGHT_M, UNIT_WIDTH_M, 10)
    # ... and bits per transfer, transfers
    power_args = (0, 0, 1, 2, UNIT_HEIGHT_M, UNIT_WIDTH_M, 128, 10)
