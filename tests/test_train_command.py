"""`micrograd-nn train` and `list`: defaults from the documents, files, figures, errors."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_nn.documents import networks
from micrograd_nn.cli import main
from micrograd_nn.documents.training import ADAM_LR, default_lr, train_network

REPO = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


def run_cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "micrograd_nn", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=cwd,
    )


def quiet(line):
    pass


def rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


# ------------------------------------------------------------------ list


def test_list_names_every_network_with_its_document(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    for name, network in networks.TRAINABLE.items():
        (i,) = [i for i, line in enumerate(lines) if line.startswith(name + " ")]
        assert lines[i] == f"{name:<9}  {network.document}"  # title, author, venue
        assert lines[i + 1].strip() == network.title  # then the network
    assert 'doc002     "Deep Neural Networks from scratch in Python", Piotr Babel' in out
    assert ".txt" not in out
    assert "micrograd-nn train NAME" in out


def test_micrograd_is_trainable_but_not_a_document():
    assert "micrograd" in networks.TRAINABLE and "micrograd" not in networks.NETWORKS
    assert networks.get("micrograd", include_micrograd=True) is networks.MICROGRAD
    with pytest.raises(ValueError, match="choose one of: doc000, .*, doc004b$"):
        networks.get("micrograd")  # compare, step and graph take documents only


def test_micrograds_network_and_data():
    network = networks.MICROGRAD
    model = network.model()
    inputs, targets, _ = network.data()
    assert [len(layer.neurons) for layer in model.layers] == [16, 16, 1]
    assert [layer.activation for layer in model.layers] == ["relu", "relu", "linear"]
    assert len(inputs) == 100 and sorted(set(targets)) == [-1.0, 1.0]
    assert all(n.b.data == 0.0 for layer in model.layers for n in layer.neurons)
    assert all(-1.0 <= w.data <= 1.0 for layer in model.layers for n in layer.neurons for w in n.w)
    assert (network.l2, network.threshold, network.default_epochs) == (1e-4, 0.0, 100)


# ------------------------------------------------------------------ train


def test_train_xor_prints_the_run_and_writes_history_loss_and_boundary(tmp_path, capsys):
    assert main(["train", "doc003", "--out", str(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert (
        "training 1500 epochs on 4 samples: sgd, lr 0.1, full batch, binary cross-entropy, seed 1"
        in out
    )
    assert "mean loss over the epoch's steps: 0.706 (epoch 0) -> 0.03257 (epoch 1499)" in out  # the reference's run: test_compare checks they agree
    assert "accuracy 1.000 (4 of 4 samples" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boundary.png", "history.csv", "loss.png", "model.json"]
    history = rows(tmp_path / "history.csv")
    assert history[0] == ["epoch", "loss"] and len(history) == 1501
    assert (tmp_path / "loss.png").read_bytes().startswith(PNG)
    for name in ("history.csv", "loss.png", "boundary.png"):
        assert f"wrote {tmp_path / name}" in out


def test_train_doc001_is_the_walkthroughs_run_with_trajectories_emily_and_frank(tmp_path):
    from micrograd_nn.documents import walkthrough

    lines = []
    result = train_network("doc001", epochs=200, out=tmp_path, progress=False, echo=lines.append)
    model, _, trajectories = walkthrough.train_people(epochs=200, echo=quiet)
    assert [p.data for p in result["model"].parameters()] == [p.data for p in model.parameters()]
    assert (
        "training 200 epochs on 4 samples: sgd, lr 0.1, per-sample, mean squared error, seed 42"
        in lines
    )
    assert any(line.startswith("  Emily") and "(female (1))" in line for line in lines)
    assert any(line.startswith("  Frank") and "(male (0))" in line for line in lines)
    history = rows(tmp_path / "history.csv")
    assert history[0] == ["epoch", "loss", "w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]
    assert float(history[-1][2]) == trajectories["w1"][-1]
    assert (tmp_path / "parameters.png").read_bytes().startswith(PNG)


def test_train_without_2_d_inputs_draws_no_boundary(tmp_path):
    result = train_network("doc004a", epochs=20, out=tmp_path, progress=False, echo=quiet)
    assert [p.name for p in result["files"]] == ["model.json", "history.csv", "loss.png"]


def test_train_micrograd_in_svg_with_batches_and_adam(tmp_path, capsys):
    args = [
        "train",
        "micrograd",
        "--epochs",
        "3",
        "--batch",
        "25",
        "--optimizer",
        "adam",
        "--format",
        "svg",
        "--out",
        str(tmp_path),
        "--quiet",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"adam, lr {ADAM_LR:g}, batches of 25, hinge loss + 0.0001 L2, seed 1" in out
    assert "on the right side of 0" in out
    assert (tmp_path / "boundary.svg").read_text().startswith("<?xml")
    assert (tmp_path / "loss.svg").exists() and not (tmp_path / "loss.png").exists()


def test_compare_optimizers_start_from_the_same_weights(tmp_path):
    result = train_network(
        "doc003", epochs=50, out=tmp_path, compare_optimizers=True, progress=False, echo=quiet
    )
    curves = result["optimizers"]
    assert list(curves) == ["sgd", "momentum", "adam"]
    assert len({losses[0] for losses in curves.values()}) == 1  # same weights, same first loss
    assert curves["sgd"] == result["history"].losses
    table = rows(tmp_path / "optimizers.csv")
    assert table[0] == ["epoch", "sgd", "momentum", "adam"] and len(table) == 51
    assert float(table[50][3]) == curves["adam"][-1]
    assert (tmp_path / "optimizers.png").read_bytes().startswith(PNG)


def test_default_learning_rates():
    doc004b = networks.get("doc004b")
    assert default_lr(doc004b, "sgd") == default_lr(doc004b, "momentum") == 5.0
    assert default_lr(doc004b, "adam") == ADAM_LR


def test_the_same_seed_gives_the_same_run(tmp_path):
    first = train_network(
        "doc004b", epochs=5, seed=7, out=tmp_path / "a", progress=False, echo=quiet
    )
    second = train_network(
        "doc004b", epochs=5, seed=7, out=tmp_path / "b", progress=False, echo=quiet
    )
    other = train_network(
        "doc004b", epochs=5, seed=8, out=tmp_path / "c", progress=False, echo=quiet
    )
    assert first["history"].losses == second["history"].losses != other["history"].losses
    assert (tmp_path / "a" / "history.csv").read_bytes() == (
        tmp_path / "b" / "history.csv"
    ).read_bytes()


def test_default_out_is_out_slash_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    train_network("doc004a", epochs=2, progress=False, echo=quiet)
    assert (tmp_path / "out" / "doc004a" / "history.csv").exists()


def test_no_progress_bar_when_not_on_a_terminal(tmp_path):
    proc = run_cli("train", "doc003", "--epochs", "30", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "accuracy" in proc.stdout


def test_a_diverging_run_is_one_line_saying_what_to_do(tmp_path):
    proc = run_cli("train", "doc004b", "--epochs", "30", "--lr", "1000", "--out", str(tmp_path))
    assert proc.returncode == 1
    (line,) = proc.stderr.splitlines()
    assert line.startswith(
        "micrograd-nn train: error: training doc004b with sgd at lr 1000 diverged in epoch"
    )
    assert line.endswith("try a smaller --lr")


@pytest.mark.parametrize(
    "args, status, message",
    [
        (
            ["train", "doc009"],
            1,
            "unknown network 'doc009'; choose one of: doc000, doc001, doc002, doc003, "
            "doc004a, doc004b, micrograd",
        ),
        (["train", "doc003", "--lr", "-1"], 1, "lr must lie in (0.0, inf), got -1.0"),
        (["train", "doc003", "--lr", "nan"], 1, "lr must lie in (0.0, inf), got nan"),
        (["train", "doc003", "--out", "/dev/null/x"], 1, "'/dev/null' is a file, not a folder"),
        (["train", "doc003", "--batch", "0"], 2, 'expected "full" or a batch size >= 1'),
        (["train", "doc003", "--batch", "half"], 2, 'expected "full" or a batch size >= 1'),
        (["train", "doc003", "--epochs", "0"], 2, "expected a positive whole number"),
        (["train", "doc003", "--optimizer", "rmsprop"], 2, "invalid choice: 'rmsprop'"),
        (["train", "doc003", "--format", "gif"], 2, "invalid choice: 'gif'"),
        (["train"], 2, "the following arguments are required: NAME"),
    ],
)
def test_bad_options_are_one_line(args, status, message):
    proc = run_cli(*args)
    assert proc.returncode == status, proc.stderr
    assert message in proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr
    assert proc.stdout == ""  # nothing is trained or printed before the error


@pytest.mark.parametrize(
    "command, example",
    [("train", "example: micrograd-nn train doc002 --init he"), ("list", "example: micrograd-nn list")],
)
def test_help_explains_with_an_example(command, example):
    proc = run_cli(command, "--help")
    assert proc.returncode == 0
    assert example in proc.stdout


def test_train_help_says_the_documents_whole_runs_are_the_default():
    out = run_cli("train", "--help").stdout
    assert "doc000: 10,000 iterations" in out and "--compare-optimizers" in out


def read_terminal(args, tmp_path):
    """Run the command with stderr on a pseudo-terminal; return what the terminal received."""
    import pty

    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-m", "micrograd_nn", *args],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
        cwd=tmp_path,
    )
    os.close(slave)
    received = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end closed: the process has ended
            break
        if not chunk:
            break
        received += chunk
    proc.communicate(timeout=300)
    os.close(master)
    assert proc.returncode == 0
    return received.decode(errors="replace")


def test_a_progress_bar_on_a_terminal_unless_quiet(tmp_path):
    shown = read_terminal(
        ["train", "doc000", "--epochs", "2000"], tmp_path
    )  # about a second (1000 samples, batched): a few refreshes
    assert "training" in shown and "epoch/s" in shown and "loss=" in shown  # epoch, speed, loss
    assert read_terminal(["train", "doc003", "--epochs", "300", "--quiet"], tmp_path) == ""


def test_ctrl_c_keeps_what_was_trained_and_exits_130(tmp_path, monkeypatch, capsys):
    import micrograd_nn.documents.training as train_module

    real = train_module.train

    def interrupted_at_epoch_5(*args, on_epoch, **options):
        def stop(epoch, loss):
            on_epoch(epoch, loss)
            if epoch == 4:
                raise KeyboardInterrupt  # what Ctrl-C raises, between two epochs

        return real(*args, on_epoch=stop, **options)

    monkeypatch.setattr(train_module, "train", interrupted_at_epoch_5)
    assert (
        main(["train", "doc003", "--out", str(tmp_path), "--compare-optimizers", "--quiet"]) == 130
    )
    out = capsys.readouterr().out
    assert "interrupted after 5 of 1500 epochs; writing what was trained" in out
    assert len(rows(tmp_path / "history.csv")) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boundary.png", "history.csv", "loss.png", "model.json"]


def test_model_json_checkpoints_and_resume(tmp_path):
    """model.json is the trained model; --resume continues from it as if the run had not stopped."""
    from micrograd_nn import load

    first = train_network("doc003", epochs=30, out=tmp_path / "a", checkpoint_every=10,
                          progress=False, echo=quiet)
    saved = load(tmp_path / "a" / "model.json")
    assert first["history"].checkpoints == [10, 20, 30]
    assert saved.to_parameters().keys() == first["model"].to_parameters().keys()
    assert all((saved.to_parameters()[k] == v).all() for k, v in first["model"].to_parameters().items())

    resumed = train_network("doc003", epochs=30, out=tmp_path / "b", resume=tmp_path / "a" / "model.json",
                            progress=False, echo=quiet)
    straight = train_network("doc003", epochs=60, out=tmp_path / "c", progress=False, echo=quiet)
    assert resumed["history"].losses == straight["history"].losses[30:]
    assert [p.data for p in resumed["model"].parameters()] == [p.data for p in straight["model"].parameters()]


def test_resume_refuses_another_networks_model(tmp_path):
    train_network("doc003", epochs=2, out=tmp_path / "xor", progress=False, echo=quiet)
    with pytest.raises(ValueError, match=r"--resume .*model.json: the saved model is MLP of .*not this network"):
        train_network("doc001", epochs=2, out=tmp_path / "people",
                      resume=tmp_path / "xor" / "model.json", progress=False, echo=quiet)
