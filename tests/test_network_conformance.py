"""The in-repo network plugins pass the NetworkConformance kit.

VGG8's table is upstream's ``NetWork_VGG8.csv``. ResNet18 is captured on 64 x 64 inputs (its
adaptive average pool accepts them) to keep the check cheap; its ``random_inputs`` shape is
still checked at 224 x 224. RoBERTa-LoRA is built from a tiny random config (the plugin's
own test configuration), so no download is needed.
"""

from __future__ import annotations

import pytest

from neurosim.networks import image_batch
from neurosim.testing.conformance_network import NetworkConformance

pytest.importorskip("torch")


class TestVGG8Conformance(NetworkConformance):
    network_name = "vgg8"
    distribution = "neurosim-network-vgg8"
    # upstream Inference_pytorch/NeuroSIM/NetWork_VGG8.csv
    layer_table = ((32, 32, 3, 3, 3, 128, 0, 1), (32, 32, 128, 3, 3, 128, 1, 1),
                   (16, 16, 128, 3, 3, 256, 0, 1), (16, 16, 256, 3, 3, 256, 1, 1),
                   (8, 8, 256, 3, 3, 512, 0, 1), (8, 8, 512, 3, 3, 512, 1, 1),
                   (1, 1, 8192, 1, 1, 1024, 0, 1), (1, 1, 1024, 1, 1, 10, 0, 1))


class TestDenseNet40Conformance(NetworkConformance):
    network_name = "densenet40"
    distribution = "neurosim-network-densenet40"


class TestResNet18Conformance(NetworkConformance):
    network_name = "resnet18"
    distribution = "neurosim-network-resnet18"

    def capture_inputs(self, spec, n):
        return image_batch(self.seed, n, 64)


class TestRobertaLoraConformance(NetworkConformance):
    network_name = "roberta-lora"
    distribution = "neurosim-network-roberta-lora"
    build_options = {"config": dict(vocab_size=1000, hidden_size=32, num_hidden_layers=1,
                                    num_attention_heads=4, intermediate_size=64,
                                    max_position_embeddings=80, num_labels=2), "lora_r": 4}


def test_kit_catches_bad_specs():
    """The kit's checks fail on a spec whose inputs do not have its input shape, or whose
    name is not the registered one."""
    from dataclasses import replace

    from neurosim.networks import get_network

    kit = TestVGG8Conformance()
    spec = get_network("vgg8")
    kit.test_random_inputs(spec)
    kit.test_network_spec_fields(spec)
    with pytest.raises(AssertionError):
        kit.test_random_inputs(replace(spec, input_shape=(3, 28, 28)))
    with pytest.raises(AssertionError):
        kit.test_network_spec_fields(replace(spec, name="vgg-8"))
    with pytest.raises(AssertionError):
        kit.test_random_inputs(replace(spec, random_inputs=lambda n, seed: image_batch(0, n, 32)))
