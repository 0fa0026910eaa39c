"""The RRAM synaptic cell as NeuroSim V1.4 models it (``memcelltype = 2``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from neurosim.accuracy.nonideal import NonIdealityPreset
from neurosim.devices import EnvmDevice, EnvmParams
from neurosim.primitives.constants import MemCellType


@dataclass(frozen=True)
class RRAMParams(EnvmParams):
    """RRAM preset: NeuroSim V1.4's ``Param.cpp`` defaults.

    * ``resistance_on_ohm`` = 100 kOhm, ``resistance_off_ohm`` = 1.7 MOhm (on/off = 17, the
      ratio NeuroSim V1.4 uses for its RRAM benchmarks, manual section 11; 17 is the ratio of
      the 22 nm Intel RRAM of P. Jain et al., "A 3.6 Mb 10.1 Mb/mm2 embedded non-volatile
      ReRAM macro in 22nm FinFET technology ...", ISSCC 2019, listed with Ron = 6 kOhm in the
      manual's Table VI; 100 kOhm is the Ron of the 130 nm Tsinghua RRAM in the same table).
    * ``read_pulse_width_s`` = 10 ns, ``access_voltage_v`` = 1.1 V (1T1R gate),
      ``write_voltage_v`` = 2 V (level shifters above 1.5 V).
    * 1T1R cell 4 F x 12 F; crossbar cell 2 F x 2 F (4 F^2).

    To model the Intel 22 nm device itself, set ``resistance_on_ohm = 6e3`` and
    ``resistance_off_ohm = 102e3`` (the alternative ``Param.cpp`` mentions).
    """


class RRAMDevice(EnvmDevice):
    """Filamentary RRAM read in 1T1R (``access_type = cmos``) or crossbar arrays.

    The cell model is :class:`neurosim.devices.EnvmDevice`'s (NeuroSim's eNVM branch);
    NeuroSim V1.4 rejects RRAM at 14 nm and below (``config.validate``).
    """

    name: ClassVar[str] = "rram"
    mem_cell_type: ClassVar[MemCellType] = MemCellType.RRAM
    params: ClassVar[RRAMParams] = RRAMParams()
    description: ClassVar[str] = "RRAM synaptic cell, 1T1R or crossbar (NeuroSim V1.4 defaults)"
    #: accuracy-run defaults with ``device_nonidealities = true`` (cited figures only; the
    #: variation, drift and noise figures depend on the device and are left at 0)
    nonidealities: ClassVar[NonIdealityPreset] = NonIdealityPreset(
        source="stuck-at fault rates measured on a 4 Mb HfO2 RRAM chip: 1.75 % of cells "
               "stuck at the high-resistance state (SA0, lowest conductance) and 9.04 % at "
               "the low-resistance state (SA1); C.-Y. Chen et al., 'RRAM defect modeling and "
               "failure analysis based on March test and a novel squeeze-search scheme', "
               "IEEE Trans. Computers 64(1), 2015, as used by L. Xia et al., 'Stuck-at fault "
               "tolerance in RRAM computing systems', IEEE JETCAS 8(1), 2018",
        stuck_at_0_rate=0.0175, stuck_at_1_rate=0.0904)
