"""The walk-through (`make demo`) and the command line around it."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_nn.documents import walkthrough
from micrograd_nn.cli import main

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "micrograd_nn", *args],
        capture_output=True, text=True, env=env, timeout=120, cwd=cwd,
    )


def test_feedforward_is_the_documents_number():
    assert walkthrough.feedforward_check() == 0.7216325609518421


def test_training_predicts_emily_female_and_frank_male():
    # Document 001: Emily 0.951 (F), Frank 0.039 (M), from an unseeded start.
    model, history, _ = walkthrough.train_people(seed=walkthrough.DEFAULT_SEED, echo=lambda line: None)
    assert len(history) == 1000
    assert history[-1] < history[0] / 10
    assert model(walkthrough.EMILY).data > 0.9
    assert model(walkthrough.FRANK).data < 0.1


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_training_converges_from_other_seeds(seed):
    model, history, _ = walkthrough.train_people(seed=seed, echo=lambda line: None)
    assert history[-1] < 0.01
    assert model(walkthrough.EMILY).data > 0.5 > model(walkthrough.FRANK).data


def test_same_seed_same_run():
    _, first, _ = walkthrough.train_people(seed=5, epochs=50, echo=lambda line: None)
    _, second, _ = walkthrough.train_people(seed=5, epochs=50, echo=lambda line: None)
    assert first == second


def test_training_is_the_documents_loop_bit_for_bit():
    """train(batch=1) inside train_people is the hand-written per-sample loop, and the
    trajectories start at the initial weights and end at the trained ones."""
    from micrograd_nn import SGD, mse
    from micrograd_nn.datasets import four_people

    model, losses, trajectories = walkthrough.train_people(seed=3, epochs=30, echo=lambda line: None)
    by_hand = walkthrough.network_2_2_1(seed=3)
    initial = {p.label: p.data for p in by_hand.parameters()}
    inputs, targets, _ = four_people()
    opt, expected = SGD(by_hand.parameters(), lr=0.1), []
    for _ in range(30):
        epoch = []
        for x, y in zip(inputs, targets):
            loss = mse(by_hand(x), y)
            epoch.append(loss.data)  # taken before its step
            opt.zero_grad()
            loss.backward()
            opt.step()
        expected.append(sum(epoch) / len(epoch))  # training.EPOCH_LOSS
    assert losses == expected
    assert [p.data for p in model.parameters()] == [p.data for p in by_hand.parameters()]
    assert list(trajectories) == ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]
    for p in by_hand.parameters():
        assert len(trajectories[p.label]) == 31
        assert trajectories[p.label][0] == initial[p.label]
        assert trajectories[p.label][-1] == p.data


@pytest.mark.needs_dot
def test_run_prints_every_step(capsys, tmp_path):
    result = walkthrough.run(epochs=200, out_dir=tmp_path)
    out = capsys.readouterr().out
    assert "o1 = 0.7216325609518421  (matches" in out
    assert "mse_loss([1, 0, 0, 1], [0, 0, 0, 0]) = 0.5" in out
    assert "d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1" in out  # the derivation table
    assert "w1 <- w1 - 0.1 * d_L_d_w1" in out
    assert result["graph"] == tmp_path / "alice_loss.svg"
    assert (tmp_path / "alice_loss.svg").read_text().lstrip().startswith(("<?xml", "<svg", "<!--"))
    assert "epoch    0" in out and "epoch  100" in out and "epoch  199" in out
    assert "Emily" in out and "Frank" in out
    assert result["mse_example"] == 0.5
    assert len(result["history"]) == 200
    assert "7. Figures of the training run:" in out
    names = ["loss.png", "boundary.png", "parameters.png"]
    assert result["figures"] == [tmp_path / name for name in names]
    for name in names:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"{tmp_path / name}: " in out


def test_run_without_out_dir_draws_nothing(capsys):
    result = walkthrough.run(epochs=5, out_dir=None)
    out = capsys.readouterr().out
    assert result["figures"] == [] and result["graph"] is None
    assert "7. Figures" not in out and "4. The graph" not in out


def test_cli_main_runs_the_walkthrough(capsys, tmp_path):
    assert main(["walkthrough", "--epochs", "3", "--seed", "1", "--out", str(tmp_path)]) == 0
    assert "seed 1" in capsys.readouterr().out


def test_python_dash_m_runs_the_walkthrough(tmp_path):
    proc = run_cli(cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "0.7216325609518421" in proc.stdout
    assert "epoch  900" in proc.stdout
    assert " F " in proc.stdout.split("Emily")[1].splitlines()[0]
    assert " M " in proc.stdout.split("Frank")[1].splitlines()[0]
    assert (tmp_path / "out" / "alice_loss.svg").exists()
    for name in ("loss.png", "boundary.png", "parameters.png"):
        assert (tmp_path / "out" / name).exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["walkthrough", "--epochs", "0"], "expected a positive whole number"),
        (["walkthrough", "--epochs", "many"], "expected a positive whole number"),
        (["walkthrough", "--seed", "x"], "a seed is a whole number >= 0, got 'x'"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_cli_bad_options_give_one_line_and_exit_2(args, message):
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_has_an_example():
    proc = run_cli("walkthrough", "--help")
    assert proc.returncode == 0
    assert "example: micrograd-nn walkthrough" in proc.stdout


def test_the_walkthrough_and_train_doc001_report_the_same_loss(tmp_path):
    """One definition of an epoch's loss (training.EPOCH_LOSS), printed the same by both."""
    from micrograd_nn.documents.training import EPOCH_LOSS, train_network

    said = []
    _, losses, _ = walkthrough.train_people(epochs=20, report_every=10, echo=said.append)
    printed = []
    result = train_network("doc001", epochs=20, out=tmp_path, progress=False, echo=printed.append)
    assert losses == result["history"].losses
    assert said[0] == f"  epoch    0  loss {losses[0]:.4f}"
    (line,) = [line for line in printed if line.startswith(EPOCH_LOSS)]
    assert line.startswith(f"{EPOCH_LOSS}: {losses[0]:.4g} (epoch 0) -> {losses[-1]:.4g} (epoch 19)")
