"""Registers the RoBERTa + LoRA network (GLUE SST-2)."""

from __future__ import annotations

from neurosim import hookimpl
from neurosim.networks import NetworkSpec

from .model import SEQ_LEN, build_roberta_lora, encode, random_tokens, random_tokens_for

SPEC = NetworkSpec(
    name="roberta-lora",
    description="RoBERTa sequence classification + LoRA adapter (GLUE SST-2); every linear "
                "layer and LoRA A/B on CIM arrays, attention products digital",
    dataset="sst2",
    input_shape=(SEQ_LEN,),
    factory=build_roberta_lora,
    random_inputs=random_tokens,
    checkpoint_help="a RoBERTa model folder or hub id (roberta-base), or a PEFT LoRA adapter "
                    "folder",
    wrapper_name="RoBERTa_LoRA",
    extra={"encode": encode, "random_inputs_for": random_tokens_for, "input_kind": "text",
           "num_classes": 2, "checkpoint_format": "folder"},
)


@hookimpl
def neurosim_register_networks(register):
    register("roberta-lora", SPEC, description=SPEC.description)
