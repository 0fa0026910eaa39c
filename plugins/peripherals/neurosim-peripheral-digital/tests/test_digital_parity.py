"""Parity of the digital peripheral circuits with NeuroSim V1.4's C++ model.

Every number in ``REFERENCE`` comes from NeuroSim V1.4 C++ (``Inference_pytorch/NeuroSIM``,
compiled with g++ -O1 and stack variables zero-initialised, as the heap-allocated objects of
the real program are): a small driver instantiated each class with the arguments of the case
functions below (``Param``/``Technology``/``MemCell`` set up as ``ProcessingUnitInitialize``
does, ``cell.capSRAMCell = 1.234e-16``, ``cell.resMemCellOn/Off = 6e3/1.5e5``) and printed
the results with %.17g. Keys: (node, synchronous, speciallayout). Values: area (m^2),
height (m), width (m), read latency (s, cycles when synchronous), read dynamic energy (J),
leakage (W), and for DFF and Buffer also write latency and write dynamic energy.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from neurosim.config import load_config
from neurosim.engine.context import build_context
from neurosim.errors import NeuroSimError
from neurosim.primitives.constants import AreaModify, BusMode, DecoderMode, SpikingMode

NONE = AreaModify.NONE
INF = math.inf
NAN = math.nan
CLK = 1e9
W = 4.0e-5  # an assigned layout width (m)
H = 3.0e-5  # an assigned layout height (m)

# Numbers from NeuroSim V1.4 C++ (see the module docstring for how they were obtained).
REFERENCE = {
    ('22nm', False, 1): {
        'DFF_w': (
            3.4496000000000007e-10, 4.3120000000000004e-06, 8.0000000000000007e-05,
            4.0000000000000002e-09, 1.1625055980628326e-12, 8.882720586471176e-09,
            0, 1.1625055980628326e-12,
        ),
        'DFF_h': (
            1.3242239999999998e-09, 6.0000000000000002e-05, 2.2070399999999998e-05,
            1.5000000000000002e-09, 4.3344406402193508e-12, 3.5530882345884704e-08,
            0, 4.3344406402193508e-12,
        ),
        'DFF_row': (
            4.9437696000000001e-11, 6.1600000000000001e-07, 8.0255999999999999e-05,
            5.0000000000000003e-10, 2.8219014584761397e-14, 1.3879250916361213e-09,
            0, 2.8219014584761397e-14,
        ),
        'Adder_w': (
            2.002226688e-10, 5.0055667199999995e-06, 4.0000000000000003e-05,
            2.2928886750392273e-09, 6.1707735152464323e-13, 1.9327680385098626e-08,
        ),
        'Adder_h': (
            1.0678542336000001e-09, 3.0000000000000001e-05, 3.5595141120000004e-05,
            0.27171287091001312, 8.2124984227637771e-13, 1.0308096205385935e-07,
        ),
        'Adder_row': (
            4.4493926400000004e-11, 6.1600000000000001e-07, 7.2230400000000006e-05,
            4.9488400254353746e-10, 3.4313740912962404e-14, 4.2950400855774725e-09,
        ),
        'AdderTree_a': (
            2.4249189888000006e-09, 6.0622974720000009e-05, 4.0000000000000003e-05,
            1.1647285631403399e-07, 1.8625465797164408e-10, 2.3407968466397227e-07,
        ),
        'AdderTree_b': (
            2.7141295104000002e-09, 6.7853237760000004e-05, 4.0000000000000003e-05,
            5.0826017123589886e-08, 2.5265631625865213e-11, 8.5900801711549447e-08,
        ),
        'ShiftAdd_w': (
            6.4134963200000006e-10, 1.6033740800000001e-05, 4.0000000000000003e-05,
            1.1244497834084875e-09, 2.9956849369660323e-12, 3.1468261087667435e-08,
        ),
        'ShiftAdd_h': (
            5.9616163200000005e-10, 3.0000000000000001e-05, 1.98720544e-05,
            1.1244497834084875e-09, 2.9956849369660323e-12, 3.1468261087667435e-08,
        ),
        'ShiftAdd_spk': (
            1.2320000000000002e-10, 3.0800000000000002e-06, 4.0000000000000003e-05,
            4.0000000000000002e-09, 2.2575211667809117e-13, 2.220680146617794e-09,
        ),
        'BitShifter': (
            3.1640125440000001e-10, 7.9100313599999991e-06, 4.0000000000000003e-05,
            2.5000000000000002e-08, 1.8060169334247295e-11, 8.882720586471176e-09,
        ),
        'Comparator': (
            2.1093416959999999e-10, 5.2733542399999994e-06, 4.0000000000000003e-05,
            8.5030810423629502e-10, 6.6200692635111347e-14, 2.1904250891407676e-08,
        ),
        'MaxPooling': (
            9.3931622399999991e-10, 2.3482905599999995e-05, 4.0000000000000003e-05,
            1.3655410926836597e-08, 1.8553789164004218e-12, 9.3799200000000021e-10,
        ),
        'MaxPooling9': (
            3.5842329600000003e-10, 8.9605824000000008e-06, 4.0000000000000003e-05,
            5.2295587868177937e-09, 2.0030020994913664e-13, 4.689960000000001e-10,
        ),
        'Sigmoid': (
            2.1981560832e-09, 5.4953902079999993e-05, 4.0000000000000003e-05,
            1.4700103623797746e-09, 3.1112869611875403e-13, 1.9968323027552922e-09,
        ),
        'Sigmoid_rram': (
            5.3106493439999998e-10, 3.0000000000000001e-05, 1.7702164479999998e-05,
            6.7471778600229245e-10, 1.4566422197782069e-12, 1.2508266038549258e-09,
        ),
        'Buffer_sram': (
            2.6066923520000004e-09, 9.0000000000000006e-05, 2.896324835555556e-05,
            2.6826623998400896e-08, 2.1695752037649203e-11, 1.8455472592299349e-08,
            2.280247379361452e-08, 2.8546514032993848e-11,
        ),
        'Buffer_dff': (
            1.2958747648000002e-09, 3.2396869120000001e-05, 4.0000000000000003e-05,
            INF, 4.7440261597255871e-13, 3.6772234648639999e-08,
            INF, 9.0947188568370983e-13,
        ),
        'Bus_h': (
            3.9036518400000007e-07, 0, 0,
            3.0021417713619417e-10, 1.1685688691994859e-11, 2.0600854048821603e-07,
        ),
        'Bus_v': (0, 0, 0, 1.8102221570980857e-10, 1.3428171924233725e-11, 1.4067302952005571e-07),
    },
    ('7nm', False, 1): {
        'DFF_w': (
            9.5997999999999987e-11, 1.1999749999999997e-06, 8.0000000000000007e-05,
            4.0000000000000002e-09, 7.2954665403432963e-13, 1.9017446031359999e-08,
            0, 7.2954665403432963e-13,
        ),
        'DFF_h': (
            4.1039711999999999e-10, 6.0000000000000002e-05, 6.8399520000000001e-06,
            1.5000000000000002e-09, 2.5215240206499838e-12, 7.6069784125439997e-08,
            0, 2.5215240206499838e-12,
        ),
        'DFF_row': (
            1.3132434241919997e-11, 2.3999499999999995e-07, 5.4719616000000001e-05,
            5.0000000000000003e-10, 1.6416172009439998e-14, 2.9714759423999999e-09,
            0, 1.6416172009439998e-14,
        ),
        'Adder_w': (
            5.3186358679775984e-11, 1.3296589669943995e-06, 4.0000000000000003e-05,
            1.7183478729940983e-09, 1.723255249673664e-13, 9.4076220801023979e-09,
        ),
        'Adder_h': (
            2.8366057962547193e-10, 3.0000000000000001e-05, 9.4553526541823981e-06,
            0.23443000591921326, 2.2929462873515523e-13, 5.0173984427212791e-08,
        ),
        'Adder_row': (
            1.1819190817727997e-11, 2.3999499999999995e-07, 4.92476544e-05,
            3.5958226936766245e-10, 9.5834889819648001e-15, 2.0905826844671996e-09,
        ),
        'AdderTree_a': (
            6.4414589956617596e-10, 1.6103647489154396e-05, 4.0000000000000003e-05,
            8.4389592561652293e-08, 5.1995123313608169e-11, 1.1393675630346238e-07,
        ),
        'AdderTree_b': (
            7.2097063988140784e-10, 1.8024265997035195e-05, 4.0000000000000003e-05,
            3.7036467115606043e-08, 7.0524264174779515e-12, 4.1811653689343989e-08,
        ),
        'ShiftAdd_w': (
            1.6469375408863999e-10, 4.1173438522159991e-06, 4.0000000000000003e-05,
            9.5398465439867733e-10, 1.3282019601903361e-12, 3.1847540207615995e-08,
        ),
        'ShiftAdd_h': (
            1.9076503008863999e-10, 3.0000000000000001e-05, 6.3588343362879997e-06,
            9.5398465439867733e-10, 1.3282019601903361e-12, 3.1847540207615995e-08,
        ),
        'ShiftAdd_spk': (
            3.8399200000000001e-11, 9.5998e-07, 4.0000000000000003e-05,
            4.0000000000000002e-09, 1.3132937607552001e-13, 4.7543615078399998e-09,
        ),
        'BitShifter': (
            8.4047579148287985e-11, 2.1011894787071993e-06, 4.0000000000000003e-05,
            2.5000000000000002e-08, 1.0506350086041599e-11, 1.9017446031359999e-08,
        ),
        'Comparator': (
            5.6031719432191992e-11, 1.4007929858047997e-06, 4.0000000000000003e-05,
            5.7789751129196266e-10, 1.9999564950032641e-14, 1.5925650422169599e-08,
        ),
        'MaxPooling': (
            2.6527517168678394e-10, 6.6318792921695978e-06, 4.0000000000000003e-05,
            5.5846631068518739e-09, 5.9946604037913602e-13, 8.9144278271999997e-10,
        ),
        'MaxPooling9': (
            9.9149878526495971e-11, 2.478746963162399e-06, 4.0000000000000003e-05,
            2.2016585435789766e-09, 6.4771043713800481e-14, 4.4572139135999998e-10,
        ),
        'Sigmoid': (
            5.496960911676153e-10, 1.3742402279190382e-05, 4.0000000000000003e-05,
            1.1487340041543327e-09, 2.0974577921184386e-13, 5.7808309282751994e-09,
        ),
        'Sigmoid_rram': (
            1.25989938408768e-10, 3.0000000000000001e-05, 4.1996646136256e-06,
            5.0385055110512141e-10, 9.750534278257321e-13, 2.0093717327039998e-09,
        ),
        'Buffer_sram': (
            5.1921384264960007e-10, 9.0000000000000006e-05, 5.7690426961066669e-06,
            1.7132064719491892e-08, 7.9048107242057456e-12, 2.2025006147692796e-08,
            1.6320768668798048e-08, 1.0898138498678253e-11,
        ),
        'Buffer_dff': (
            3.4407517452985595e-10, 8.6018793632463989e-06, 4.0000000000000003e-05,
            INF, 2.7176728424572441e-13, 7.8064637922835194e-08,
            INF, 4.4482939404472801e-13,
        ),
        'Bus_h': (
            1.5409043865600002e-07, 0, 0,
            5.8919388477469993e-10, 8.2788063336090464e-12, 3.885428496087022e-07,
        ),
        'Bus_v': (0, 0, 0, 3.5787687129008197e-10, 6.7889474878103109e-12, 1.3968922624109054e-07),
    },
    ('2nm', False, 1): {
        'DFF_w': (
            3.6480000000000006e-11, 4.5600000000000001e-07, 8.0000000000000007e-05,
            4.0000000000000002e-09, 2.4918000307200001e-13, 7.306941358080002e-09,
            0, 2.4918000307200001e-13,
        ),
        'DFF_h': (
            1.2960000000000002e-10, 6.0000000000000002e-05, 2.1600000000000005e-06,
            1.5000000000000002e-09, 8.6092201728000017e-13, 2.9227765432320008e-08,
            0, 8.6092201728000017e-13,
        ),
        'DFF_row': (
            4.924800000000001e-12, 1.14e-07, 4.3200000000000007e-05,
            5.0000000000000003e-10, 5.6049610500000017e-15, 1.1417095872000003e-09,
            0, 5.6049610500000017e-15,
        ),
        'Adder_w': (
            1.9945440000000004e-11, 4.9863600000000002e-07, 4.0000000000000003e-05,
            1.164142164795853e-09, 8.007679517760003e-14, 1.0286839096934401e-08,
        ),
        'Adder_h': (
            1.0637568000000003e-10, 3.0000000000000001e-05, 3.5458560000000007e-06,
            0.18934048763178338, 1.0655344327680005e-13, 5.4863141850316803e-08,
        ),
        'Adder_row': (
            4.4323200000000011e-12, 1.14e-07, 3.8880000000000007e-05,
            2.3568413951920524e-10, 4.453202863200001e-15, 2.2859642437632e-09,
        ),
        'AdderTree_a': (
            2.4156144000000005e-10, 6.0390360000000003e-06, 4.0000000000000003e-05,
            5.5347588358903511e-08, 2.4162820927440008e-11, 1.245850512850944e-07,
        ),
        'AdderTree_b': (
            2.7037152000000007e-10, 6.7592880000000012e-06, 4.0000000000000003e-05,
            2.4259424477026171e-08, 3.2774200068480005e-12, 4.5719284875263998e-08,
        ),
        'ShiftAdd_w': (
            6.3201600000000018e-11, 1.5800400000000002e-06, 4.0000000000000003e-05,
            7.9729228212491477e-10, 5.0065044556800015e-13, 1.9650130246656003e-08,
        ),
        'ShiftAdd_h': (
            9.3711600000000024e-11, 3.0000000000000001e-05, 3.1237200000000008e-06,
            7.9729228212491477e-10, 5.0065044556800015e-13, 1.9650130246656003e-08,
        ),
        'ShiftAdd_spk': (
            1.3680000000000001e-11, 3.4200000000000002e-07, 4.0000000000000003e-05,
            4.0000000000000002e-09, 4.4839688400000013e-14, 1.8267353395200005e-09,
        ),
        'BitShifter': (
            3.1518720000000009e-11, 7.8796800000000019e-07, 4.0000000000000003e-05,
            2.5000000000000002e-08, 3.587175072000001e-12, 7.306941358080002e-09,
        ),
        'Comparator': (
            4.4651520000000007e-11, 1.1162880000000001e-06, 4.0000000000000003e-05,
            4.0574244343396969e-10, 1.1636836380000001e-14, 1.0670110927257603e-08,
        ),
        'MaxPooling': (
            1.9452960000000003e-10, 4.8632400000000006e-06, 4.0000000000000003e-05,
            4.5389827898200723e-09, 3.5061445575000012e-13, 3.4251287616000012e-10,
        ),
        'MaxPooling9': (
            7.0917120000000017e-11, 1.7729280000000003e-06, 4.0000000000000003e-05,
            1.6714785740905646e-09, 3.7771802932500009e-14, 1.7125643808000006e-10,
        ),
        'Sigmoid': (
            2.8535053714285719e-10, 7.1337634285714289e-06, 4.0000000000000003e-05,
            7.7104203915552867e-10, 1.4449302270000003e-13, 4.2300281408112008e-09,
        ),
        'Sigmoid_rram': (
            7.6365120000000004e-11, 3.0000000000000001e-05, 2.5455040000000001e-06,
            3.3854313801554054e-10, 8.3674183093977251e-13, 1.3857344832240004e-09,
        ),
        'Buffer_sram': (
            3.823872000000001e-10, 9.0000000000000006e-05, 4.2487466666666676e-06,
            1.2285700011659336e-08, 5.1586954304925015e-12, 1.3540446760276804e-08,
            1.1755676493063826e-08, 6.8933874834500019e-12,
        ),
        'Buffer_dff': (
            1.3074432000000004e-10, 3.268608000000001e-06, 4.0000000000000003e-05,
            INF, 9.5536655906250027e-14, 3.0597625163851208e-08,
            INF, 2.0682495892500005e-13,
        ),
        'Bus_h': (
            9.9532800000000024e-08, 0, 0,
            1.1963310286019899e-09, 6.9976831743317313e-12, 3.533690817079919e-07,
        ),
        'Bus_v': (0, 0, 0, 7.2057840114598948e-10, 4.4076179794670279e-12, 6.7323784809478708e-08),
    },
    ('1nm', False, 1): {
        'DFF_w': (
            2.5600000000000004e-11, 3.2000000000000001e-07, 8.0000000000000007e-05,
            4.0000000000000002e-09, 2.3335061299199991e-13, 1.3932197314559999e-08,
            0, 2.3335061299199991e-13,
        ),
        'DFF_h': (
            1.1520000000000001e-10, 6.0000000000000002e-05, 1.9200000000000003e-06,
            1.5000000000000002e-09, 8.0574455807999964e-13, 5.5728789258239995e-08,
            0, 8.0574455807999964e-13,
        ),
        'DFF_row': (
            3.0720000000000006e-12, 8.0000000000000002e-08, 3.8400000000000005e-05,
            5.0000000000000003e-10, 5.2457327999999989e-15, 2.1769058303999996e-09,
            0, 5.2457327999999989e-15,
        ),
        'Adder_w': (
            1.2441600000000002e-11, 3.1104000000000001e-07, 4.0000000000000003e-05,
            1.0584215298739459e-09, 5.6794471833599984e-14, 9.6462666989567977e-09,
        ),
        'Adder_h': (
            6.6355200000000012e-11, 3.0000000000000001e-05, 2.2118400000000004e-06,
            0.17940421693208428, 7.5571732684799982e-14, 5.1446755727769585e-08,
        ),
        'Adder_row': (
            2.7648000000000005e-12, 8.0000000000000002e-08, 3.4560000000000008e-05,
            2.1115022691356304e-10, 3.1584615551999993e-15, 2.1436148219903994e-09,
        ),
        'AdderTree_a': (
            1.5068160000000004e-10, 3.7670400000000008e-06, 4.0000000000000003e-05,
            4.9572444595636716e-08, 1.7136982563839998e-11, 1.1682700779847677e-07,
        ),
        'AdderTree_b': (
            1.6865280000000007e-10, 4.2163200000000012e-06, 4.0000000000000003e-05,
            2.1740161616027557e-08, 2.3244219233279992e-12, 4.2872296439807991e-08,
        ),
        'ShiftAdd_w': (
            4.2624000000000006e-11, 1.0656e-06, 4.0000000000000003e-05,
            7.6644836896828797e-10, 4.2826132684799984e-13, 2.6391796088831998e-08,
        ),
        'ShiftAdd_h': (
            4.8624000000000011e-11, 3.0000000000000001e-05, 1.6208000000000002e-06,
            7.6644836896828797e-10, 4.2826132684799984e-13, 2.6391796088831998e-08,
        ),
        'ShiftAdd_spk': (
            9.6000000000000027e-12, 2.4000000000000003e-07, 4.0000000000000003e-05,
            4.0000000000000002e-09, 4.1965862399999984e-14, 3.4830493286399997e-09,
        ),
        'BitShifter': (
            1.9660800000000003e-11, 4.9152e-07, 4.0000000000000003e-05,
            2.5000000000000002e-08, 3.3572689919999984e-12, 1.3932197314559999e-08,
        ),
        'Comparator': (
            2.78528e-11, 6.9631999999999992e-07, 4.0000000000000003e-05,
            3.6481348706825776e-10, 8.1433036799999974e-15, 1.1887210345267198e-08,
        ),
        'MaxPooling': (
            1.21344e-10, 3.0335999999999996e-06, 4.0000000000000003e-05,
            3.7823919113146897e-09, 2.4613070399999996e-13, 4.9757847551999994e-10,
        ),
        'MaxPooling9': (
            4.4236800000000001e-11, 1.10592e-06, 4.0000000000000003e-05,
            1.4089414581236574e-09, 2.6523201599999995e-14, 2.4878923775999997e-10,
        ),
        'Sigmoid': (
            2.0924708571428573e-10, 5.2311771428571426e-06, 4.0000000000000003e-05,
            6.8698912191678338e-10, 1.0237128192000001e-13, 6.4509856702463991e-09,
        ),
        'Sigmoid_rram': (
            4.5649920000000011e-11, 3.0000000000000001e-05, 1.5216640000000003e-06,
            3.0234287250346892e-10, 7.1134363898181819e-13, 2.2256600801279995e-09,
        ),
        'Buffer_sram': (
            2.1299200000000002e-10, 9.0000000000000006e-05, 2.3665777777777779e-06,
            1.0390447789662093e-08, 4.1162794963199991e-12, 2.0700716411289596e-08,
            9.8087153112624766e-09, 5.3905546367999985e-12,
        ),
        'Buffer_dff': (
            8.1510400000000009e-11, 2.03776e-06, 4.0000000000000003e-05,
            INF, 8.8112635199999957e-14, 5.7939563124326395e-08,
            INF, 1.6754993279999994e-13,
        ),
        'Bus_h': (
            8.847360000000002e-08, 0, 0,
            1.2649444576122778e-09, 5.9213338986932881e-12, 6.0472932418340135e-07,
        ),
        'Bus_v': (0, 0, 0, 7.6639737173275316e-10, 3.7321486987894301e-12, 1.1521287231050931e-07),
    },
    ('22nm', True, 1): {
        'DFF_w': (
            3.4496000000000007e-10, 4.3120000000000004e-06, 8.0000000000000007e-05,
            8, 1.1625055980628326e-12, 8.882720586471176e-09,
            0, 1.1625055980628326e-12,
        ),
        'DFF_h': (
            1.3242239999999998e-09, 6.0000000000000002e-05, 2.2070399999999998e-05,
            3, 4.3344406402193508e-12, 3.5530882345884704e-08,
            0, 4.3344406402193508e-12,
        ),
        'DFF_row': (
            4.9437696000000001e-11, 6.1600000000000001e-07, 8.0255999999999999e-05,
            1, 2.8219014584761397e-14, 1.3879250916361213e-09,
            0, 2.8219014584761397e-14,
        ),
        'Adder_w': (
            2.002226688e-10, 5.0055667199999995e-06, 4.0000000000000003e-05,
            2.2928886750392273e-09, 6.1707735152464323e-13, 1.9327680385098626e-08,
        ),
        'Adder_h': (
            1.0678542336000001e-09, 3.0000000000000001e-05, 3.5595141120000004e-05,
            0.27171287091001312, 8.2124984227637771e-13, 1.0308096205385935e-07,
        ),
        'Adder_row': (
            4.4493926400000004e-11, 6.1600000000000001e-07, 7.2230400000000006e-05,
            4.9488400254353746e-10, 3.4313740912962404e-14, 4.2950400855774725e-09,
        ),
        'AdderTree_a': (
            2.4249189888000006e-09, 6.0622974720000009e-05, 4.0000000000000003e-05,
            200, 1.8625465797164408e-10, 2.3407968466397227e-07,
        ),
        'AdderTree_b': (
            2.7141295104000002e-09, 6.7853237760000004e-05, 4.0000000000000003e-05,
            74, 2.5265631625865213e-11, 8.5900801711549447e-08,
        ),
        'ShiftAdd_w': (
            6.4134963200000006e-10, 1.6033740800000001e-05, 4.0000000000000003e-05,
            8, 2.9956849369660323e-12, 3.1468261087667435e-08,
        ),
        'ShiftAdd_h': (
            5.9616163200000005e-10, 3.0000000000000001e-05, 1.98720544e-05,
            8, 2.9956849369660323e-12, 3.1468261087667435e-08,
        ),
        'ShiftAdd_spk': (
            1.2320000000000002e-10, 3.0800000000000002e-06, 4.0000000000000003e-05,
            40, 2.2575211667809117e-13, 2.220680146617794e-09,
        ),
        'BitShifter': (
            3.1640125440000001e-10, 7.9100313599999991e-06, 4.0000000000000003e-05,
            50, 1.8060169334247295e-11, 8.882720586471176e-09,
        ),
        'Comparator': (
            2.1093416959999999e-10, 5.2733542399999994e-06, 4.0000000000000003e-05,
            8.5030810423629502e-10, 6.6200692635111347e-14, 2.1904250891407676e-08,
        ),
        'MaxPooling': (
            9.3931622399999991e-10, 2.3482905599999995e-05, 4.0000000000000003e-05,
            75, 1.8553789164004218e-12, 9.3799200000000021e-10,
        ),
        'MaxPooling9': (
            3.5842329600000003e-10, 8.9605824000000008e-06, 4.0000000000000003e-05,
            35, 2.0030020994913664e-13, 4.689960000000001e-10,
        ),
        'Sigmoid': (
            2.1981560832e-09, 5.4953902079999993e-05, 4.0000000000000003e-05,
            12, 3.1112869611875403e-13, 1.9968323027552922e-09,
        ),
        'Sigmoid_rram': (
            5.3106493439999998e-10, 3.0000000000000001e-05, 1.7702164479999998e-05,
            5, 1.4566422197782069e-12, 1.2508266038549258e-09,
        ),
        'Buffer_sram': (
            2.6066923520000004e-09, 9.0000000000000006e-05, 2.896324835555556e-05,
            40, 8.6185763764920601e-13, 1.8455472592299349e-08,
            40, 7.7126196329938517e-12,
        ),
        'Buffer_dff': (
            1.2958747648000002e-09, 3.2396869120000001e-05, 4.0000000000000003e-05,
            20, 4.7440261597255871e-13, 3.6772234648639999e-08,
            20, 9.0947188568370983e-13,
        ),
        'Bus_h': (3.9036518400000007e-07, 0, 0, 9, 1.1685688691994859e-11, 2.0600854048821603e-07),
        'Bus_v': (0, 0, 0, 9, 1.3428171924233725e-11, 1.4067302952005571e-07),
    },
    ('1nm', False, 0): {
        'DFF_w': (
            2.5600000000000004e-11, 3.2000000000000001e-07, 8.0000000000000007e-05,
            4.0000000000000002e-09, 3.6021436416000001e-13, 2.1230014955519997e-08,
            0, 3.6021436416000001e-13,
        ),
        'DFF_h': (
            1.1520000000000001e-10, 6.0000000000000002e-05, 1.9200000000000003e-06,
            1.5000000000000002e-09, 1.2476547072000001e-12, 8.492005982207999e-08,
            0, 1.2476547072000001e-12,
        ),
        'DFF_row': (
            3.0720000000000006e-12, 8.0000000000000002e-08, 3.8400000000000005e-05,
            5.0000000000000003e-10, 8.1227519999999993e-15, 3.3171898367999996e-09,
            0, 8.1227519999999993e-15,
        ),
        'Adder_w': (
            2.4883200000000004e-11, 6.2208000000000002e-07, 4.0000000000000003e-05,
            1.0382505044494948e-09, 8.6248820735999976e-14, 9.6462666989567977e-09,
        ),
        'Adder_h': (
            1.3271040000000002e-10, 3.0000000000000001e-05, 4.4236800000000008e-06,
            0.18010802910356041, 1.1476708300799998e-13, 5.1446755727769585e-08,
        ),
        'Adder_row': (
            5.529600000000001e-12, 8.0000000000000002e-08, 6.9120000000000016e-05,
            2.1345898013056864e-10, 4.7964208319999981e-15, 2.1436148219903994e-09,
        ),
        'AdderTree_a': (
            3.0136320000000007e-10, 7.5340800000000016e-06, 4.0000000000000003e-05,
            5.0134197097361075e-08, 2.6025544166399988e-11, 1.1682700779847677e-07,
        ),
        'AdderTree_b': (
            3.3730560000000014e-10, 8.4326400000000023e-06, 4.0000000000000003e-05,
            2.1969117171825511e-08, 3.5300919743999987e-12, 4.2872296439807991e-08,
        ),
        'ShiftAdd_w': (
            5.6448000000000012e-11, 1.4112000000000001e-06, 4.0000000000000003e-05,
            7.6934341348933449e-10, 6.593803315199999e-13, 3.4601840934911997e-08,
        ),
        'ShiftAdd_h': (
            6.6048000000000003e-11, 3.0000000000000001e-05, 2.2016000000000002e-06,
            7.6934341348933449e-10, 6.593803315199999e-13, 3.4601840934911997e-08,
        ),
        'ShiftAdd_spk': (
            9.6000000000000027e-12, 2.4000000000000003e-07, 4.0000000000000003e-05,
            4.0000000000000002e-09, 6.4982016000000007e-14, 5.3075037388799994e-09,
        ),
        'BitShifter': (
            1.9660800000000003e-11, 4.9152e-07, 4.0000000000000003e-05,
            2.5000000000000002e-08, 5.1985612800000002e-12, 2.1230014955519997e-08,
        ),
        'Comparator': (
            2.78528e-11, 6.9631999999999992e-07, 4.0000000000000003e-05,
            3.6481348706825776e-10, 8.1433036799999974e-15, 1.1887210345267198e-08,
        ),
        'MaxPooling': (
            1.21344e-10, 3.0335999999999996e-06, 4.0000000000000003e-05,
            3.7823919113146897e-09, 2.4613070399999996e-13, 4.9757847551999994e-10,
        ),
        'MaxPooling9': (
            4.4236800000000001e-11, 1.10592e-06, 4.0000000000000003e-05,
            1.4089414581236574e-09, 2.6523201599999995e-14, 2.4878923775999997e-10,
        ),
        'Sigmoid': (
            2.0924708571428573e-10, 5.2311771428571426e-06, 4.0000000000000003e-05,
            6.8698912191678338e-10, 1.0237128192000001e-13, 6.4509856702463991e-09,
        ),
        'Sigmoid_rram': (
            4.5649920000000011e-11, 3.0000000000000001e-05, 1.5216640000000003e-06,
            3.0234287250346892e-10, 7.1134363898181819e-13, 2.2256600801279995e-09,
        ),
        'Buffer_sram': (
            2.1299200000000002e-10, 9.0000000000000006e-05, 2.3665777777777779e-06,
            1.0390447789662093e-08, 4.1162794963199991e-12, 2.0700716411289596e-08,
            9.8087153112624766e-09, 5.3905546367999985e-12,
        ),
        'Buffer_dff': (
            8.1510400000000009e-11, 2.03776e-06, 4.0000000000000003e-05,
            INF, 1.3414494239999999e-13, 8.713083368816639e-08,
            INF, 2.1358224000000001e-13,
        ),
        'Bus_h': (
            8.847360000000002e-08, 0, 0,
            1.2649444576122778e-09, 5.9213338986932881e-12, 6.0472932418340135e-07,
        ),
        'Bus_v': (0, 0, 0, 7.6639737173275316e-10, 3.7321486987894301e-12, 1.1521287231050931e-07),
    },
}

_CONTEXTS: dict = {}


def make_ctx(node: str, synchronous: bool, special: int, compat: bool = True):
    key = (node, synchronous, special, compat)
    if key not in _CONTEXTS:
        cfg = load_config(overrides={"tech": node, "synchronous": synchronous,
                                     "special_layout": special, "compat_bugs": compat})
        ctx = build_context(cfg)
        ctx.cell = dataclasses.replace(ctx.cell, cap_sram_cell=1.234e-16,
                                       res_mem_cell_on=6e3, res_mem_cell_off=1.5e5)
        _CONTEXTS[key] = ctx
    return _CONTEXTS[key]


# ---- the cases (same calls as the C++ driver) ----------------------------------------------
def _dff_w(ctx):
    d = ctx.circuit("dff")(ctx)
    d.initialize(256, CLK)
    d.calculate_area(0, 2 * W, NONE)
    d.calculate_latency(1e20, 8)
    d.calculate_power(8, 128, ctx.param.validated)
    return d


def _dff_h(ctx):
    d = ctx.circuit("dff")(ctx)
    d.initialize(1024, CLK)
    d.calculate_area(2 * H, 0, NONE)
    d.calculate_latency(1e20, 3)
    d.calculate_power(3, 2000, False)
    return d


def _dff_row(ctx):
    d = ctx.circuit("dff")(ctx)
    d.initialize(40, CLK)
    d.calculate_area(0, 0, NONE)
    d.calculate_latency(1e20, 1)
    d.calculate_power(1, 40, True)
    return d


def _adder(num_bit, num_adder, h, w, ramp, cap, n_lat, n_pow, per_op):
    def run(ctx):
        a = ctx.circuit("adder")(ctx)
        a.initialize(num_bit, num_adder, CLK)
        a.calculate_area(h, w, NONE)
        a.calculate_latency(ramp, cap, n_lat)
        a.calculate_power(n_pow, per_op)
        return a
    return run


def _adder_tree(rows, bits, trees, n_read, unit_add):
    def run(ctx):
        t = ctx.circuit("adder_tree")(ctx)
        t.initialize(rows, bits, trees, CLK)
        t.calculate_area(0, W, NONE)
        t.calculate_latency(n_read, unit_add, 0)
        t.calculate_power(n_read, unit_add)
        return t
    return run


def _shift_add(units, bits, mode, pulses, h, w, n_read):
    def run(ctx):
        s = ctx.circuit("shift_add")(ctx)
        s.initialize(units, bits, CLK, mode, pulses)
        s.calculate_area(h, w, NONE)
        s.calculate_latency(n_read)
        s.calculate_power(n_read)
        return s
    return run


def _bit_shifter(ctx):
    b = ctx.circuit("bit_shifter")(ctx)
    b.initialize(32, 8, CLK)
    b.calculate_area(0, W, NONE)
    b.calculate_latency(50)
    b.calculate_power(50)
    return b


def _comparator(ctx):
    c = ctx.circuit("comparator")(ctx)
    c.initialize(8, 16)
    c.calculate_unit_area(NONE)
    c.calculate_area(W)
    c.calculate_latency(1e20, 1e-15, 3)
    c.calculate_power(3, 8)
    return c


def _max_pooling(bits, window, units, n_read):
    def run(ctx):
        m = ctx.circuit("max_pooling")(ctx)
        m.initialize(bits, window, units, CLK)
        m.calculate_unit_area(NONE)
        m.calculate_area(W)
        m.calculate_latency(1e20, 0, n_read)
        m.calculate_power(n_read)
        return m
    return run


def _sigmoid_sram(ctx):
    s = ctx.circuit("sigmoid")(ctx)
    s.initialize(True, 8, 24, 16, CLK)
    s.calculate_unit_area(NONE)
    s.calculate_area(0, W, NONE)
    s.calculate_latency(12)
    s.calculate_power(12)
    return s


def _sigmoid_rram(ctx):
    s = ctx.circuit("sigmoid")(ctx)
    s.initialize(False, 6, 32, 8, CLK)
    s.calculate_unit_area(NONE)
    s.calculate_area(H, 0, NONE)
    s.calculate_latency(5)
    s.calculate_power(5)
    return s


def _buffer_sram(ctx):
    b = ctx.circuit("buffer")(ctx)
    b.initialize(128 * 128, 128, 1, ctx.param.unit_length_wire_resistance, CLK, True)
    b.calculate_area(3 * H, 0, NONE)
    b.calculate_latency(128, 40, 128, 40)
    b.calculate_power(128, 40, 128, 40)
    return b


def _buffer_dff(ctx):
    b = ctx.circuit("buffer")(ctx)
    b.initialize(32 * 32, 32, 1, ctx.param.unit_length_wire_resistance, CLK, False)
    b.calculate_area(0, W, NONE)
    b.calculate_latency(32, 20, 32, 20)
    b.calculate_power(32, 20, 32, 20)
    return b


def _bus(mode, rows, cols, tolerance, width_bits, over_lap, n_read, is_input):
    def run(ctx):
        b = ctx.circuit("bus")(ctx)
        b.initialize(mode, rows, cols, tolerance, width_bits, H, W, CLK)
        b.calculate_area(1, over_lap)
        b.calculate_latency(n_read)
        b.calculate_power(width_bits, n_read, is_input)
        return b
    return run


CASES = {
    "DFF_w": _dff_w,
    "DFF_h": _dff_h,
    "DFF_row": _dff_row,
    "Adder_w": _adder(9, 16, 0, W, 1e20, 1e-15, 4, 4, 16),
    "Adder_h": _adder(12, 64, H, 0, 2e-10, 0, 1, 2, 32),
    "Adder_row": _adder(8, 4, 0, 0, 1e20, 0, 1, 1, 4),
    "AdderTree_a": _adder_tree(8, 15, 16, 100, 0),
    "AdderTree_b": _adder_tree(5, 20, 32, 37, 3),
    "ShiftAdd_w": _shift_add(16, 10, SpikingMode.NONSPIKING, 8, 0, W, 8),
    "ShiftAdd_h": _shift_add(16, 10, SpikingMode.NONSPIKING, 8, H, 0, 8),
    "ShiftAdd_spk": _shift_add(8, 3, SpikingMode.SPIKING, 8, 0, W, 5),
    "BitShifter": _bit_shifter,
    "Comparator": _comparator,
    "MaxPooling": _max_pooling(8, 4, 16, 25),
    "MaxPooling9": _max_pooling(6, 9, 3, 7),
    "Sigmoid": _sigmoid_sram,
    "Sigmoid_rram": _sigmoid_rram,
    "Buffer_sram": _buffer_sram,
    "Buffer_dff": _buffer_dff,
    "Bus_h": _bus(BusMode.HORIZONTAL, 4, 4, 0, 512, False, 9, True),
    "Bus_v": _bus(BusMode.VERTICAL, 3, 2, 0.2, 256, True, 9, False),
}

FIELDS = ("area", "height", "width", "read_latency", "read_dynamic_energy", "leakage",
          "write_latency", "write_dynamic_energy")


def _params():
    for config, cases in REFERENCE.items():
        for name, expected in cases.items():
            yield pytest.param(config, name, expected,
                               id=f"{config[0]}-{'sync' if config[1] else 'async'}-"
                                  f"special{config[2]}-{name}")


def _close(actual: float, expected: float) -> bool:
    if math.isnan(expected):
        return math.isnan(actual)
    if math.isinf(expected) or expected == 0:
        return actual == expected
    return abs(actual - expected) <= 1e-9 * abs(expected)


@pytest.mark.parametrize("config,name,expected", list(_params()))
def test_matches_neurosim_cpp(config, name, expected):
    ctx = make_ctx(*config)
    unit = CASES[name](ctx)
    got = tuple(float(getattr(unit, f)) for f in FIELDS[:len(expected)])
    bad = [f"{f}: {g!r} != {e!r}" for f, g, e in zip(FIELDS, got, expected) if not _close(g, e)]
    assert not bad, f"{name} at {config}: " + "; ".join(bad)


# ---- registration ---------------------------------------------------------------------------
def test_every_role_registered_as_neurosim():
    import neurosim_peripheral_digital as pkg

    ctx = make_ctx("22nm", False, 1)
    expected = {"dff": pkg.DFF, "adder": pkg.Adder, "adder_tree": pkg.AdderTree,
                "shift_add": pkg.ShiftAdd, "bit_shifter": pkg.BitShifter,
                "comparator": pkg.Comparator, "max_pooling": pkg.MaxPooling,
                "sigmoid": pkg.Sigmoid, "buffer": pkg.Buffer, "bus": pkg.Bus}
    for role, cls in expected.items():
        assert ctx.registry.get("peripheral", "neurosim", role=role) is cls


# ---- the corrected arithmetic (compat_bugs = false) -------------------------------------------
def test_adder_tree_halving():
    """5 operands of 20 bits: NeuroSim's int halving gives 2+1+0 adders per stage
    (20*2 + 21*1 = 61 adder bits); the correction gives 3+2+1 (20*3 + 21*2 + 22*1 = 124)."""
    for compat, bits in ((True, 61), (False, 124)):
        ctx = make_ctx("22nm", False, 1, compat)
        tree = ctx.circuit("adder_tree")(ctx)
        tree.initialize(5, 20, 32, CLK)
        tree.calculate_area(0, W, NONE)
        adder = ctx.circuit("adder")(ctx)
        adder.initialize(bits, 32, CLK)
        adder.calculate_area(0, W, NONE)
        assert tree.area == pytest.approx(adder.area, rel=1e-12, abs=0)
        assert tree.num_stage == 3


def test_bus_wire_width_accumulates_only_in_compat_mode():
    for compat, factor in ((True, 2.0), (False, 1.0)):
        ctx = make_ctx("22nm", False, 1, compat)
        bus = ctx.circuit("bus")(ctx)
        bus.initialize(BusMode.HORIZONTAL, 4, 4, 0, 512, H, W, CLK)
        bus.calculate_area(1, False)
        first = bus.area
        bus.calculate_area(1, False)
        assert bus.area == pytest.approx(factor * first, rel=1e-12, abs=0)


def test_buffer_dff_latency_corrected():
    """Compat: the shifted decoder arguments make the asynchronous latency infinite (as the
    C++); corrected: decoder delay (no wire load) plus half a clock per line, per line."""
    ctx = make_ctx("22nm", False, 1, False)
    buf = _buffer_dff(ctx)
    dec = ctx.circuit("row_decoder")(ctx)
    dec.initialize(DecoderMode.REGULAR_ROW, 5, False, False)  # 32 lines
    dec.calculate_area(buf.dff.h_dff * 32, 0, NONE)
    dec.calculate_latency(1e20, buf.dff.h_dff * 32 * 0.2e-15 / 1e-6, 0, 0, 32, 32, 32)
    whole = dec.read_latency + 1 / CLK / 2 * 32
    assert math.isfinite(buf.read_latency)
    assert buf.read_latency == pytest.approx(whole / 32 * 20, rel=1e-12, abs=0)
    assert math.isinf(_buffer_dff(make_ctx("22nm", False, 1, True)).read_latency)


def test_buffer_sram_sense_amp_area_when_corrected():
    """Corrected, the sense amplifiers are laid out and their area is added."""
    for compat in (True, False):
        b = _buffer_sram(make_ctx("22nm", False, 1, compat))
        parts = (b.memory_area + b.wl_decoder.area + b.precharger.area
                 + b.sram_write_driver.area)
        if compat:
            assert b.sense_amp.area == 0 and b.sense_amp.read_latency == 0
            assert b.area == parts
        else:
            assert b.sense_amp.area > 0 and b.sense_amp.read_latency > 0
            assert b.area == pytest.approx(parts + b.sense_amp.area, rel=1e-12, abs=0)


def test_sigmoid_decoder_load_corrected():
    ctx = make_ctx("22nm", False, 1, False)
    sig = _sigmoid_sram(ctx)
    dec = ctx.circuit("row_decoder")(ctx)
    dec.initialize(DecoderMode.REGULAR_ROW, 5, False, False)  # 24 entries
    dec.calculate_area(0, 0, NONE)
    dec.calculate_latency(1e20, sig.cap_row1, 0, sig.res_row, 8, 1, 1)
    assert sig.wl_decoder.read_latency == pytest.approx(dec.read_latency, rel=1e-12, abs=0)
    assert sig.read_latency == pytest.approx(
        (dec.read_latency + sig.sense_amp.read_latency) * 12, rel=1e-12, abs=0)


# ---- user errors ------------------------------------------------------------------------------
def test_size_errors_are_neurosim_errors():
    ctx = make_ctx("22nm", False, 1)
    tree = ctx.circuit("adder_tree")(ctx)
    tree.initialize(8, 15, 16, CLK)
    with pytest.raises(NeuroSimError, match="AdderTree"):
        tree.calculate_area(0, 0, NONE)
    dff = ctx.circuit("dff")(ctx)
    dff.initialize(8, CLK)
    with pytest.raises(NeuroSimError, match="smaller than one DFF"):
        dff.calculate_area(1e-9, 0, NONE)
