"""WAGE training quantizers (neurosim.training.wage) against hand calculations of the
wrapper's QE / QG / SSE, and the training CLI's input checks."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from click.testing import CliRunner  # noqa: E402

from neurosim.cli import cli  # noqa: E402
from neurosim.training.wage import _QE, qe, qg, quantize_errors, sse_loss  # noqa: E402


def test_qe_by_hand():
    # max 0.3 -> shift 2**round(log2 0.3) = 2**-2; e/0.25 = [1.2, -0.2, 0.004];
    # C clips to +-127/128; Q rounds to 1/128: [127, round(-25.6) = -26, round(0.512) = 1]
    e = torch.tensor([0.3, -0.05, 0.001])
    assert torch.equal(qe(e, 8), torch.tensor([127, -26, 1]) / 128)
    assert torch.equal(qe(torch.zeros(3), 8), torch.zeros(3))  # all-zero: unchanged
    assert torch.equal(qe(e, -1), e)


def test_qg_stochastic_rounding_by_hand():
    # g/shift(max) * grad_scale = [1.2, -0.4] * 8 = [9.6, -3.2]; SR gives 9 or 10 (-4 or -3)
    g = torch.tensor([0.3, -0.1]).repeat(20000, 1)
    out = qg(g, 8, 8.0, torch.Generator().manual_seed(0)) * 128
    assert set(out[:, 0].unique().tolist()) == {9.0, 10.0}
    assert set(out[:, 1].unique().tolist()) == {-4.0, -3.0}
    # unbiased: mean 9.6 and -3.2 (binomial std of the mean 0.0035)
    assert abs(float(out[:, 0].mean()) - 9.6) < 0.02
    assert abs(float(out[:, 1].mean()) + 3.2) < 0.02
    a = qg(g, 8, 8.0, torch.Generator().manual_seed(5))
    assert torch.equal(a, qg(g, 8, 8.0, torch.Generator().manual_seed(5)))  # seeded


def test_sse_and_error_hook():
    logits = torch.tensor([[0.5, -0.25], [0.0, 1.0]])
    # 0.5 * ((0.5-1)^2 + 0.25^2 + 0^2 + 0^2) = 0.15625 (targets 0 and 1)
    assert float(sse_loss(logits, torch.tensor([0, 1]))) == pytest.approx(0.15625)
    a = torch.tensor([0.1, 0.2, 0.3], requires_grad=True)
    g = torch.tensor([0.3, -0.05, 0.001])
    _QE.apply(a, 8).backward(g)
    assert torch.equal(a.grad, qe(g, 8))
    from neurosim.networks import get_network

    model = get_network("lenet").build()
    handles = quantize_errors(model)
    assert len(handles) == 4  # one per WAGE layer
    for h in handles:
        h.remove()


def test_train_cli_rejects_bad_input(tmp_path):
    run = CliRunner().invoke
    r = run(cli, ["train", "-n", "lenet", "--data", "random:4", "--out", str(tmp_path / "a")])
    assert r.exit_code == 2 and "needs a labelled data set" in r.output
    r = run(cli, ["train", "-n", "lenet", "--data", "digits:train", "--epochs", "0",
                  "--out", str(tmp_path / "a")])
    assert r.exit_code == 2 and "--epochs 0" in r.output
    r = run(cli, ["train", "-n", "lenet", "--data", "digits:train", "--decreasing-lr", "x",
                  "--out", str(tmp_path / "a")])
    assert r.exit_code == 2 and "--decreasing-lr" in r.output
    r = run(cli, ["train", "-n", "vgg8", "--data", "digits:train", "--out",
                  str(tmp_path / "a")])
    assert r.exit_code == 2 and "'vgg8' takes 3x32x32 images" in r.output
    assert not (tmp_path / "a").exists()
