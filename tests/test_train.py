"""The training loop: batching, optimizers, history, CSV, Ctrl-C."""
import csv

import pytest

from micrograd_nn import MLP, SGD, mse
from micrograd_nn.datasets import four_people
from micrograd_nn.train import History, train

XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [0.0, 1.0, 1.0, 0.0]


def test_per_sample_sgd_equals_the_hand_written_loop():
    """batch=1 without shuffling is document 001's loop: the same weights bit for bit."""
    inputs, targets, _ = four_people()
    by_hand = MLP(2, [2, 1], activation="sigmoid", init="normal", bias_init="normal", seed=3)
    looped = MLP(2, [2, 1], activation="sigmoid", init="normal", bias_init="normal", seed=3)
    opt = SGD(by_hand.parameters(), lr=0.1)
    for _ in range(20):
        for x, y in zip(inputs, targets):
            loss = mse(by_hand(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
    history = train(looped, inputs, targets, loss="mse", lr=0.1, epochs=20, batch=1, progress=False)
    assert [p.data for p in looped.parameters()] == [p.data for p in by_hand.parameters()]
    assert len(history.losses) == 20 and not history.interrupted


def test_full_batch_records_the_loss_before_each_update():
    model = MLP(2, [3, 1], activation=["tanh", "sigmoid"], seed=0)
    first = mse([model(x) for x in XOR_X], XOR_Y).data
    history = train(model, XOR_X, XOR_Y, loss="mse", lr=0.5, epochs=5, progress=False)
    assert history.losses[0] == first


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_each_optimizer_learns_xor(optimizer):
    model = MLP(2, [4, 1], activation=["tanh", "sigmoid"], seed=1)
    lr = {"sgd": 2.0, "momentum": 0.5, "adam": 0.05}[optimizer]
    history = train(model, XOR_X, XOR_Y, loss="binary_cross_entropy", optimizer=optimizer,
                    lr=lr, epochs=400, progress=False)
    assert history.losses[-1] < 0.1 < history.losses[0]
    assert [round(model(x).data) for x in XOR_X] == [0, 1, 1, 0]


def test_minibatches_with_shuffle_are_reproducible_from_the_seed():
    runs = []
    for _ in range(2):
        model = MLP(2, [3, 1], activation="tanh", seed=0)
        runs.append(train(model, XOR_X, [-1, 1, 1, -1], loss="hinge", batch=2, shuffle=True,
                          seed=7, epochs=10, progress=False).losses)
    assert runs[0] == runs[1]


def test_l2_penalty_is_added_to_the_loss():
    model = MLP(2, [2, 1], seed=0)
    penalty = 1e-2 * sum(p.data ** 2 for p in model.parameters())
    plain = mse([model(x) for x in XOR_X], XOR_Y).data
    history = train(model, XOR_X, XOR_Y, loss="mse", l2=1e-2, epochs=1, progress=False)
    assert history.losses[0] == pytest.approx(plain + penalty, rel=1e-15)


def test_history_tracks_parameters_and_writes_csv(tmp_path):
    model = MLP(2, [2, 1], activation="sigmoid", seed=0)
    history = train(model, XOR_X, XOR_Y, epochs=3, track_parameters=True, progress=False)
    assert set(history.parameters) == {label for label, _ in model.named_parameters()}
    assert history.parameters["W2[0,1]"][-1] == model.layers[1].neurons[0].w[1].data
    rows = list(csv.reader(open(history.to_csv(tmp_path / "out" / "history.csv"))))
    assert rows[0][:2] == ["epoch", "loss"] and len(rows) == 4
    assert float(rows[1][1]) == history.losses[0]  # repr round-trips exactly


def test_ctrl_c_keeps_the_model_and_the_history():
    model = MLP(2, [2, 1], seed=0)

    def interrupt(epoch, loss):
        if epoch == 2:
            raise KeyboardInterrupt

    history = train(model, XOR_X, XOR_Y, epochs=50, on_epoch=interrupt, progress=False)
    assert history.interrupted and len(history.losses) == 3


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"loss": "cross"}, ValueError, "unknown loss 'cross'; choose one of: mse, sse"),
        ({"optimizer": "rmsprop"}, ValueError, "choose one of: sgd, momentum, adam"),
        ({"epochs": 0}, ValueError, "epochs must be a positive int"),
        ({"batch": 0}, ValueError, "batch"),
        ({"batch": "half"}, TypeError, "batch"),
        ({"lr": -1.0}, ValueError, "lr must lie in"),
        ({"l2": float("nan")}, ValueError, "l2 must lie in"),
        ({"targets": XOR_Y[:3]}, ValueError, "4 inputs but 3 targets"),
        ({"inputs": [], "targets": []}, ValueError, "no samples"),
        ({"model": "mlp"}, TypeError, "model must be a Module"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    args = {"model": MLP(2, [2, 1], seed=0), "inputs": XOR_X, "targets": XOR_Y, "progress": False}
    args.update(kwargs)
    with pytest.raises(error, match=message):
        train(args.pop("model"), args.pop("inputs"), args.pop("targets"), **args)


def test_empty_history_is_a_history():
    assert History().losses == [] and not History().interrupted


@pytest.mark.parametrize("name", ["checkpoint", "history_file"])
@pytest.mark.parametrize("path, error, message", [
    ("/tmp", ValueError, r"'/tmp' is a folder; give a file name, such as '/tmp/"),
    ("", ValueError, r"the path is empty; give a file name"),
    ("/proc/nope/m.json", ValueError, r"'/proc/nope/m.json': cannot create the folder '/proc/nope'"
     r" \(.*\); choose another path"),
    ("/dev/null/m.json", NotADirectoryError, r"'/dev/null' is a file, not a folder"),
])
def test_a_bad_checkpoint_or_history_path_is_refused_before_training(name, path, error, message):
    epochs = []
    with pytest.raises(error, match=rf"^train: {name}\b.*{message}"):
        train(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, epochs=3, progress=False,
              on_epoch=lambda epoch, loss: epochs.append(epoch), **{name: path})
    assert epochs == []  # not a single epoch trained and lost


@pytest.mark.parametrize("interrupted, sig, status", [
    (False, None, 0), (False, "SIGINT", 0), (False, "SIGTERM", 0),  # the run finished anyway
    (True, "SIGINT", 130), (True, "SIGTERM", 143), (True, None, 130),
])
def test_the_train_commands_status_says_whether_the_run_was_cut_short(monkeypatch, interrupted,
                                                                     sig, status):
    import argparse

    from micrograd_nn.cli import train as command

    history = History(losses=[1.0], interrupted=interrupted, signal=sig)
    monkeypatch.setattr(command, "train_network", lambda *a, **k: {"history": history})
    args = argparse.Namespace(name="doc003", epochs=1, lr=None, seed=None, optimizer=None,
                              batch=None, out=None, format="png", compare_optimizers=False,
                              quiet=True, resume=None, checkpoint_every=None, init=None)
    assert command.command(args) == status


@pytest.mark.parametrize("epoch, error, shown", [
    ("3", TypeError, "str '3'"), (2.0, TypeError, "float 2.0"), (True, TypeError, "bool True"),
    (None, TypeError, "NoneType None"), (-1, ValueError, "-1"),
])
def test_resume_epoch_must_be_a_whole_number(epoch, error, shown):
    model = MLP(2, [2, 1], seed=0)
    state = {"epoch": epoch, "optimizer": SGD(model.parameters(), lr=0.1).state_dict()}
    with pytest.raises(error, match=rf"^train: resume\['epoch'\] must be a whole number >= 0 "
                       rf"\(the epochs trained\), got {shown}; pass the state load_checkpoint"):
        train(model, XOR_X, XOR_Y, epochs=1, progress=False, resume=state)


def test_resume_epoch_numbers_the_epochs_on():
    model = MLP(2, [2, 1], seed=0)
    state = {"epoch": 7, "optimizer": SGD(model.parameters(), lr=0.1).state_dict()}
    epochs = []
    train(model, XOR_X, XOR_Y, epochs=2, progress=False, resume=state,
          on_epoch=lambda epoch, loss: epochs.append(epoch))
    assert epochs == [7, 8]


@pytest.mark.parametrize("path, error, message", [
    ("", ValueError, r"^History.to_csv: the path is empty; give a file name"),
    (123, TypeError, r"^History.to_csv: path must be a str or a pathlib.Path, got int"),
])
def test_to_csv_names_a_bad_path(path, error, message):
    with pytest.raises(error, match=message):
        History(losses=[1.0]).to_csv(path)


def test_checkpoints_count_the_epochs_of_the_whole_run(tmp_path):
    from micrograd_nn.serialize import load_checkpoint

    train(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, epochs=5, progress=False,
          checkpoint=tmp_path / "m.json")
    model, training = load_checkpoint(tmp_path / "m.json")
    history = train(model, XOR_X, XOR_Y, epochs=4, progress=False, resume=training,
                    checkpoint=tmp_path / "m.json", checkpoint_every=2)
    assert history.checkpoints == [6, 8, 9]  # epochs 5..8: saved after 6 and 8, and at the end


def test_a_diverged_run_says_why_with_its_parentheses_in_pairs(tmp_path):
    from micrograd_nn.documents.training import train_network

    with pytest.raises(ValueError) as caught:
        train_network("doc003", epochs=50, lr=1e6, out=tmp_path, progress=False,
                      echo=lambda line: None)
    message = str(caught.value)
    assert message.startswith("training doc003 with sgd at lr 1e+06 diverged in epoch 1 ('log' ")
    assert message.endswith("); try a smaller --lr")
    assert "entry 0: log(0.0); entry 3: log(0.0))" in message  # not cut inside the parentheses
    depth = 0
    for char in message:
        depth += {"(": 1, ")": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
