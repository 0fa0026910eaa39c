"""Issue 13's roberta-lora defects: a plain checkpoint ran with a random rank-8 LoRA added
(it flipped predictions); random tokens went up to id 999, an IndexError for smaller
vocabularies; SST-2 data came only from dev.tsv / save_to_disk with fixed fields."""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")

from click.testing import CliRunner  # noqa: E402

from neurosim.cli import cli  # noqa: E402
from neurosim.networks import get_network  # noqa: E402

SMALL = dict(vocab_size=120, hidden_size=32, num_hidden_layers=1, num_attention_heads=4,
             intermediate_size=64, max_position_embeddings=80, num_labels=2)


def _n_lora(model) -> int:
    return sum(n.endswith("lora_A.default") for n, _ in model.named_modules())


def test_plain_checkpoint_runs_without_lora(tmp_path):
    spec = get_network("roberta-lora")
    torch.manual_seed(0)
    plain = spec.build(config=dict(SMALL), lora_r=0)
    plain.save_pretrained(tmp_path / "plain")
    loaded = spec.build(checkpoint=str(tmp_path / "plain"))
    assert _n_lora(loaded) == 0  # before: a random rank-8 adapter on query and value
    x = spec.extra["random_inputs_for"](loaded, 3, 1)
    with torch.no_grad():
        torch.testing.assert_close(loaded(**x).logits, plain(**x).logits)
    assert _n_lora(spec.build(checkpoint=str(tmp_path / "plain"), lora_r=4)) == 2  # query, value
    assert _n_lora(spec.build(config=dict(SMALL))) == 2  # random model: rank 8 as before


def test_random_tokens_within_the_vocabulary():
    from neurosim.accuracy.evaluate import evaluate_network
    from neurosim.config import load_config
    from neurosim.datasets import parse_data

    spec = get_network("roberta-lora")
    torch.manual_seed(0)
    model = spec.build(config=dict(SMALL))
    ids = spec.extra["random_inputs_for"](model, 50, 0)["input_ids"]
    assert int(ids[:, 1:-1].max()) < 120 and int(ids[:, 1:-1].min()) >= 4
    cfg = load_config((), ["subarray_rows=16"])
    res = evaluate_network(cfg, "roberta-lora", parse_data("random:2"),
                           build_kwargs={"config": dict(SMALL)})  # before: IndexError
    assert res.n_items == 2


def test_text_fields_and_split_reach_the_tokenizer(tmp_path, monkeypatch):
    """A JSON-lines set with its own field names and split, through `neurosim accuracy`
    (the tokenizer is replaced by a whitespace one: no hub access here)."""
    from neurosim_network_roberta_lora import model as rl

    spec = get_network("roberta-lora")
    torch.manual_seed(0)
    spec.build(config=dict(SMALL), lora_r=0).save_pretrained(tmp_path / "m")

    def encode(sentences, checkpoint):
        assert checkpoint == str(tmp_path / "m")
        ids = [[0] + [4 + len(w) % 100 for w in s.split()][:8] + [2] for s in sentences]
        width = max(map(len, ids))
        t = torch.tensor([row + [1] * (width - len(row)) for row in ids])
        return {"input_ids": t, "attention_mask": (t != 1).long()}

    monkeypatch.setitem(spec.extra, "encode", encode)
    assert rl.encode is not encode
    rows = [{"review": "a fine film", "y": 1}, {"review": "dull", "y": 0},
            {"review": "fine fine", "y": 1}]
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "heldout.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "acc.json"
    r = CliRunner().invoke(cli, ["accuracy", "-n", "roberta-lora", "--checkpoint",
                                 str(tmp_path / "m"), "--data", f"sst2:{tmp_path / 'd'}",
                                 "--split", "heldout", "--text-field", "review",
                                 "--label-field", "y", "--set", "subarray_rows=16",
                                 "--json", str(out), "--quiet"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    res = json.loads(out.read_text())
    assert res["n_items"] == 3 and res["reference"] == "labels"
    assert res["provenance"]["data"]["text_field"] == "review"
    assert res["software_accuracy"] is not None


@pytest.mark.parametrize("rank", [-1, 1.5, "abc", True, 10 ** 9])
def test_lora_rank_is_a_whole_number_in_range(rank):
    """Before: -1 built no adapter and 1.5 a rank-1 one without a word, 1e9 tried to
    allocate terabytes."""
    from neurosim.errors import NeuroSimError

    with pytest.raises(NeuroSimError, match="lora_r=.*whole number from 0"):
        get_network("roberta-lora").build(config=dict(SMALL), lora_r=rank)


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "\xff\xfe"])
def test_corrupt_adapter_config_names_the_file(tmp_path, text):
    """Before: exit 1 (JSONDecodeError) for a checkpoint folder whose adapter_config.json
    is not a JSON object."""
    from neurosim.errors import NeuroSimError

    (tmp_path / "adapter_config.json").write_bytes(text.encode("latin-1"))
    with pytest.raises(NeuroSimError, match="adapter_config.json"):
        get_network("roberta-lora").build(checkpoint=str(tmp_path))
