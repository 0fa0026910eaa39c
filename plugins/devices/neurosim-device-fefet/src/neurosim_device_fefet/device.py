"""The FeFET synaptic cell as NeuroSim V1.4 models it (``memcelltype = 3``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from neurosim.devices import EnvmDevice, EnvmParams
from neurosim.primitives.constants import MemCellType


@dataclass(frozen=True)
class FeFETParams(EnvmParams):
    """FeFET preset: NeuroSim V1.4 reads the FeFET with the same ``Param.cpp`` values as its
    eNVM cells (Ron = 100 kOhm, Roff = 1.7 MOhm, 10 ns read pulse, 1.1 V access gate, 2 V
    write, 1T1R cell 4 F x 12 F, crossbar 2 F x 2 F), so this preset equals them and a
    ``device = fefet`` run matches ``memcelltype = 3``.

    The measured device NeuroSim's manual recommends (Table VI: 22 nm GlobalFoundries FeFET,
    Ron = 240 kOhm, on/off = 100, cell 4 F x 6 F; the manual's FeFET reference is K. Ni et al.,
    "In-memory computing primitive for sensor data fusion in 28 nm HKMG FeFET technology",
    IEDM 2018) is
    ``resistance_on_ohm = 240e3``, ``resistance_off_ohm = 24e6``.
    """


class FeFETDevice(EnvmDevice):
    """Analog FeFET synapse in NeuroSim's pseudo-crossbar array (NeuroSim manual, Fig. 8).

    The FeFET's channel is the resistive element; the cell model is
    :class:`neurosim.devices.EnvmDevice`'s. Circuits differ from RRAM only where NeuroSim
    tests ``memCellType == FeFET`` (the column resistance has no access-resistance term).
    Unlike RRAM, NeuroSim V1.4 accepts FeFET at every node down to 1 nm.
    """

    name: ClassVar[str] = "fefet"
    mem_cell_type: ClassVar[MemCellType] = MemCellType.FeFET
    params: ClassVar[FeFETParams] = FeFETParams()
    description: ClassVar[str] = "FeFET synaptic cell (NeuroSim V1.4 defaults)"
