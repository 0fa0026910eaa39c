"""RoBERTa + LoRA plugin on a tiny RoBERTa built locally (no hub access).

References: the layer list and operation counts follow from the model's shapes (hand
formulas below); merged and unmerged adapters must give the same logits (LoRA algebra:
W x + B A x * alpha/r = (W + B A alpha/r) x).
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")

from neurosim.config import load_config  # noqa: E402
from neurosim.networks import get_network  # noqa: E402
from neurosim.nn.capture import capture  # noqa: E402

TINY = dict(vocab_size=1000, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
            intermediate_size=64, max_position_embeddings=80, num_labels=2)
T, H, FF, R, HEADS = 64, 32, 64, 4, 4


def _build(**kw):
    torch.manual_seed(0)
    kw.setdefault("lora_r", R)
    return get_network("roberta-lora").build(config=dict(TINY), **kw)


def _rows(merged: bool):
    per_layer = []
    for name, cin, cout in (("query", H, H), ("key", H, H), ("value", H, H),
                            ("attention.output", H, H), ("ffn in", H, FF), ("ffn out", FF, H)):
        per_layer.append((T, 1, cin, 1, 1, cout, 0, 1))
        if not merged and name in ("query", "value"):
            per_layer += [(T, 1, cin, 1, 1, R, 0, 1), (T, 1, R, 1, 1, cout, 0, 1)]
    head = [(1, 1, H, 1, 1, H, 0, 1), (1, 1, H, 1, 1, 2, 0, 1)]  # first token only
    return per_layer * 2 + head


@pytest.mark.parametrize("merged", [False, True])
def test_layers_and_attention_ops(merged):
    spec = get_network("roberta-lora")
    cap = capture(_build(merged=merged), spec.random_inputs(2, 0))
    assert cap.table_rows() == _rows(merged)
    names = [layer.name for layer in cap.layers]
    assert any("lora_A" in n for n in names) != merged
    # per item and encoder layer: scores T*T*H + context T*T*H MACs, 2 ops per MAC
    assert cap.digital_ops == 2 * 2 * (T * T * H + T * T * H)
    assert cap.layers[1 if not merged else 0].input_bits.shape == (H, T * 8)


def test_merged_and_unmerged_adapters_agree():
    x = get_network("roberta-lora").random_inputs(2, 1)
    with torch.no_grad():
        a = _build(merged=False)(**x).logits
        b = _build(merged=True)(**x).logits
    torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)


def test_adapter_folder_loads_with_its_base(tmp_path):
    import json

    import peft

    base_dir, adapter_dir = tmp_path / "base", tmp_path / "adapter"
    _build(lora_r=0).save_pretrained(base_dir)  # plain RoBERTa, no adapter
    base = get_network("roberta-lora").build(checkpoint=str(base_dir), lora_r=0)
    model = peft.get_peft_model(base, peft.LoraConfig(
        r=R, lora_alpha=8, target_modules=["query", "value"], init_lora_weights=False,
        task_type="SEQ_CLS")).eval()
    model.save_pretrained(adapter_dir)
    cfg = json.loads((adapter_dir / "adapter_config.json").read_text())
    cfg["base_model_name_or_path"] = str(base_dir)
    (adapter_dir / "adapter_config.json").write_text(json.dumps(cfg))
    x = get_network("roberta-lora").random_inputs(1, 2)
    loaded = get_network("roberta-lora").build(checkpoint=str(adapter_dir))
    assert sum(n.endswith("lora_A.default") for n, _ in loaded.named_modules()) == 2 * 2
    with torch.no_grad():
        torch.testing.assert_close(loaded(**x).logits, model(**x).logits)


def test_estimate_counts_the_cim_operations():
    from neurosim.engine.flow import estimate

    cap = capture(_build(merged=False), get_network("roberta-lora").random_inputs(1, 0))
    # a tiny model needs small subarrays (NeuroSim rejects 128 rows for 32-wide layers)
    cfg = load_config((), ["subarray_rows=16", "subarray_cols=16"])
    res = estimate(cfg, cap.specs, cap.weights, cap.inputs)
    macs = sum(r[0] * r[1] * r[2] * r[3] * r[4] * r[5] for r in _rows(False))
    assert res.performance.num_computation == 2 * macs
    assert len(res.layers) == len(_rows(False))
    assert res.chip.to_json()["area_m2"] > 0


def test_sst2_without_a_tokenizer_is_a_user_error(tmp_path):
    from click.testing import CliRunner

    from neurosim.cli import cli

    (tmp_path / "dev.tsv").write_text("sentence\tlabel\na dull film . \t0\n")
    r = CliRunner().invoke(cli, ["estimate", "--network", "roberta-lora", "--data",
                                 f"sst2:{tmp_path}", "--quiet"])
    assert r.exit_code == 2 and "needs a tokenizer" in r.output
