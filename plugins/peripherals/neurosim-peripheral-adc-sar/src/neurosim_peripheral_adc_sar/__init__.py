"""NeuroSim V1.4 successive-approximation ADC, registered as the ``adc`` plugin ``sar``."""

from .sar_adc import SarADC

__all__ = ["SarADC"]
