"""A phase-change-memory (PCM) synaptic cell for neurosim."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from neurosim.devices import EnvmDevice, EnvmParams
from neurosim.primitives.constants import MemCellType


@dataclass(frozen=True)
class PCMParams(EnvmParams):
    """Analog PCM cell: doped-Ge2Sb2Te5 mushroom cell in 90 nm CMOS (IBM).

    * ``resistance_on_ohm`` = 40 kOhm: the fully SET (crystalline) state. NeuroSim V1.4
      manual, Table VI ("90nm PCM (IBM)": Ron = 40 kOhm). The same value is the largest
      reliably programmed conductance, g_max = 25 uS = 1 / 40 kOhm, of IBM aihwkit's PCM
      statistical model (``PCMLikeNoiseModel(g_max=25.0)``), which is calibrated on the
      1-million-device array of V. Joshi et al., "Accurate deep neural network inference
      using computational phase-change memory", Nature Communications 11, 2473 (2020).
    * ``resistance_off_ohm`` = 500 kOhm: on/off ratio 12.5 (manual, Table VI).
    * ``read_pulse_width_s`` = 250 ns: the read-pulse width t_read of the same statistical
      model (S. R. Nandakumar et al., "Phase-change memory models for deep learning training
      and inference", IEEE ICECS 2019, pp. 727-730; aihwkit documentation, "Inference and
      PCM statistical model").
    * Cell 4 F x 4 F (manual, Table VI), for both 1T1R and cross-point arrays.
    * ``access_voltage_v`` = 1.1 V and ``write_voltage_v`` = 2 V: NeuroSim V1.4's defaults
      (inference does not model programming; any write voltage above 1.5 V only adds the
      level shifters NeuroSim adds for every eNVM).
    """

    resistance_on_ohm: float = 40e3
    resistance_off_ohm: float = 500e3
    read_pulse_width_s: float = 250e-9
    height_1t1r_f: float = 4.0
    width_1t1r_f: float = 4.0
    height_crossbar_f: float = 4.0
    width_crossbar_f: float = 4.0


class PCMDevice(EnvmDevice):
    """Phase-change memory read as a resistor: NeuroSim's eNVM cell model with PCM values.

    Conductance is set by the crystalline fraction of the Ge2Sb2Te5 volume; at inference the
    cell is read like any resistive eNVM (1T1R or crossbar), so it takes NeuroSim's
    resistive-memory circuit branch (``mem_cell_type = RRAM``: the manual's "eNVM based on
    resistance switching, e.g. RRAM, PCM, STT-MRAM") and the linear level-to-conductance
    map. Drift and read noise belong to the accuracy model (``drift_nu``, ``variation``).
    """

    name: ClassVar[str] = "pcm"
    mem_cell_type: ClassVar[MemCellType] = MemCellType.RRAM
    params: ClassVar[PCMParams] = PCMParams()
    description: ClassVar[str] = "Ge2Sb2Te5 phase-change synaptic cell (IBM 90 nm, 40 kOhm, 12.5x)"
