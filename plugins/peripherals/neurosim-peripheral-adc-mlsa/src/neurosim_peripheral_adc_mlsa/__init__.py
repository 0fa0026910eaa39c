"""NeuroSim V1.4 multilevel-sense-amplifier flash ADC, registered as the ``adc`` plugin ``mlsa``.

It uses the ``current_sense_amp`` circuit of the configuration (by default from
``neurosim-peripheral-sense``) and is followed by the ``mlsa_encoder`` circuit.
"""

from .multilevel_sense_amp import MultilevelSenseAmp

__all__ = ["MultilevelSenseAmp"]
