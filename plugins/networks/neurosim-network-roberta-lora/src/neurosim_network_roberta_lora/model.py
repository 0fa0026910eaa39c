"""RoBERTa for sequence classification (``transformers``) with a LoRA adapter (``peft``).

What maps to CIM arrays: every ``nn.Linear`` that runs -- per encoder layer the query, key,
value and attention-output projections and the FFN in/out projections, then the classifier
head (dense, out_proj); with an unmerged adapter each LoRA ``A`` (in x r) and ``B``
(r x out) is its own small array next to its frozen base layer. A linear layer on ``T``
tokens is a 1x1 layer over a ``T x 1`` map (``T`` input vectors). The attention score
(``Q K^T``) and context (``softmax . V``) products multiply two activations, so they are
counted as digital operations (see :mod:`neurosim.nn.capture`). Embedding look-ups, layer
norms, softmax and GELU are not modelled.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

#: tokens per synthetic input (SST-2 sentences are shorter; padding fills the rest)
SEQ_LEN = 64
#: synthetic token ids are drawn from [FIRST_ID, LAST_ID): ordinary tokens in every RoBERTa
#: vocabulary (0-3 are <s>, <pad>, </s>, <unk>)
FIRST_ID, LAST_ID = 4, 1000
LORA_TARGETS = ("query", "value")
#: rank of the fresh random adapter of the randomly initialised model
DEFAULT_RANK = 8
#: largest rank of a fresh adapter (roberta-large's hidden size: a rank above the
#: hidden size adds nothing)
MAX_RANK = 1024


def _flag(v: Any) -> bool:
    return str(v).lower() in ("1", "true", "yes", "on")


def _import_hf() -> tuple[Any, Any]:
    from neurosim.errors import NeuroSimError

    try:
        import peft
        import transformers
    except ImportError as exc:
        raise NeuroSimError(f"roberta-lora needs the transformers and peft packages ({exc}); "
                            "pip install neurosim-network-roberta-lora pulls them in") from None
    return transformers, peft


def _is_adapter(path: str | None) -> bool:
    return bool(path) and os.path.isfile(os.path.join(str(path), "adapter_config.json"))


def _adapter_base(folder: str) -> Any:
    """``base_model_name_or_path`` of the PEFT adapter ``folder`` (None when absent); an
    ``adapter_config.json`` that is not a readable JSON object is a NeuroSimError naming it."""
    from neurosim.errors import NeuroSimError

    path = os.path.join(str(folder), "adapter_config.json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise NeuroSimError(f"{path}: not a readable adapter config ({exc})") from None
    if not isinstance(data, dict):
        raise NeuroSimError(f"{path}: expected a JSON object, got a {type(data).__name__}")
    return data.get("base_model_name_or_path")


def _rank(lora_r: Any, checkpoint: str | None) -> int:
    """The fresh adapter's rank: ``lora_r`` (a whole number, 0 = none), or by default 0 for
    a checkpoint and :data:`DEFAULT_RANK` for the random model."""
    from neurosim.errors import NeuroSimError

    if lora_r is None:
        return 0 if checkpoint else DEFAULT_RANK
    try:
        rank = float(lora_r)
    except (TypeError, ValueError):
        rank = math.nan
    if isinstance(lora_r, bool) or not rank.is_integer() or not 0 <= rank <= MAX_RANK:
        raise NeuroSimError(f"--net-option lora_r={lora_r}: the LoRA rank is a whole number "
                            f"from 0 (no fresh adapter) to {MAX_RANK}")
    return int(rank)


def build_roberta_lora(mode: str = "WAGE", wl_weight: int = 8, wl_activate: int = 8,
                       checkpoint: str | None = None, *, adapter: str | None = None,
                       merged: Any = False, lora_r: Any = None, lora_alpha: Any = 16,
                       num_labels: Any = 2, config: Any = None, **_ignored: Any) -> Any:
    """The model in eval mode.

    * ``checkpoint``: a RoBERTa model folder or hub id (``roberta-base``), or a PEFT adapter
      folder (``adapter_config.json``; its base model is loaded from the adapter's
      ``base_model_name_or_path``). None: randomly initialised roberta-base-sized model.
    * ``adapter``: a PEFT adapter folder or hub id applied on top of ``checkpoint``.
    * ``lora_r``: rank of a fresh LoRA adapter with random A and B on query and value (the
      usual GLUE recipe), added when no ``adapter`` is given. Default: none for a
      ``checkpoint`` (a plain trained model runs as it is), rank 8 for the randomly
      initialised model (so its traces hold the LoRA arrays); 0 = none.
    * ``merged``: fold the adapter into the base weights (``merge_and_unload``), so LoRA
      adds no arrays; otherwise A and B stay separate arrays.
    * ``config``: a ``transformers.RobertaConfig`` (or dict) for a randomly initialised
      model, e.g. a tiny one in tests. ``mode``/``wl_*`` are not used by the float model:
      its traces are quantized per layer by :mod:`neurosim.nn.capture`.
    """
    import warnings

    transformers, peft = _import_hf()
    from neurosim.errors import NeuroSimError

    # transformers' own deprecation notices (raised inside peft) are not the user's business
    warnings.filterwarnings("ignore", category=FutureWarning, module="transformers")
    num_labels = int(num_labels)
    if _is_adapter(checkpoint) and adapter is None:
        adapter = checkpoint
        checkpoint = _adapter_base(checkpoint)
        if not checkpoint:
            raise NeuroSimError(f"adapter {adapter}: adapter_config.json names no base model "
                                "(base_model_name_or_path)")
    cls = transformers.RobertaForSequenceClassification
    if checkpoint:
        try:
            model = cls.from_pretrained(checkpoint, num_labels=num_labels)
        except (OSError, ValueError) as exc:
            raise NeuroSimError(f"cannot load RoBERTa from {checkpoint!r}: {exc}. Give a local "
                                "model folder, or a hub id with network access") from None
    else:
        if isinstance(config, dict):
            config = transformers.RobertaConfig(**config)
        config = config or transformers.RobertaConfig(num_labels=num_labels)
        model = cls(config)
    if adapter:
        try:
            model = peft.PeftModel.from_pretrained(model, adapter)
        except (OSError, ValueError) as exc:
            raise NeuroSimError(f"cannot load the LoRA adapter {adapter!r}: {exc}") from None
    elif _rank(lora_r, checkpoint) > 0:
        cfg = peft.LoraConfig(r=_rank(lora_r, checkpoint), lora_alpha=int(lora_alpha),
                              target_modules=list(LORA_TARGETS), lora_dropout=0.0,
                              init_lora_weights=False, task_type="SEQ_CLS")
        model = peft.get_peft_model(model, cfg)
    if _flag(merged) and isinstance(model, peft.PeftModel):
        model = model.merge_and_unload()
    return model.eval()


def random_tokens(n: int, seed: int, vocab_size: int | None = None) -> dict:
    """``n`` synthetic sequences of ``SEQ_LEN`` token ids (<s> ... </s>), all attended;
    ids are drawn from ``[FIRST_ID, min(LAST_ID, vocab_size))``."""
    import numpy as np
    import torch

    from neurosim.errors import NeuroSimError

    top = LAST_ID if vocab_size is None else min(LAST_ID, int(vocab_size))
    if top <= FIRST_ID:
        raise NeuroSimError(f"random tokens: the vocabulary of {vocab_size} ids has no "
                            f"ordinary tokens above the {FIRST_ID} special ones")
    ids = np.random.default_rng(seed).integers(FIRST_ID, top, size=(n, SEQ_LEN))
    ids[:, 0], ids[:, -1] = 0, 2
    t = torch.from_numpy(ids.astype(np.int64))
    return {"input_ids": t, "attention_mask": torch.ones_like(t)}


def random_tokens_for(model: Any, n: int, seed: int) -> dict:
    """:func:`random_tokens` within the built model's vocabulary (its embedding size)."""
    config = getattr(model, "config", None)
    if config is None and hasattr(model, "get_base_model"):
        config = model.get_base_model().config
    return random_tokens(n, seed, getattr(config, "vocab_size", None))


def encode(sentences: list[str], checkpoint: str | None) -> dict:
    """Tokenize SST-2 sentences with the checkpoint's tokenizer."""
    transformers, _ = _import_hf()
    from neurosim.errors import NeuroSimError

    source = checkpoint
    if _is_adapter(checkpoint):
        source = _adapter_base(checkpoint)
    if not source:
        raise NeuroSimError("sst2 data needs a tokenizer: give --checkpoint (a RoBERTa model "
                            "folder or hub id such as roberta-base, or an adapter folder)")
    try:
        tok = transformers.AutoTokenizer.from_pretrained(source)
    except (OSError, ValueError) as exc:
        raise NeuroSimError(f"cannot load the tokenizer of {source!r}: {exc}") from None
    enc = tok(sentences, padding=True, truncation=True, max_length=128, return_tensors="pt")
    return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]}
