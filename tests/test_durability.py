"""Training and files that survive anything: signals sent to a real child process,
resumed runs that equal straight ones bit for bit, checkpoints that are never torn,
bad data refused up front, and a loader that refuses hostile files."""
import html
import json
import math
import os
import re
import signal
import socket
import stat
import tempfile
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from micrograd_nn import MLP, Value, detect_anomaly
from micrograd_nn import _saving, serialize
from micrograd_nn.draw import draw_graph
from micrograd_nn.nn import Layer, Neuron
from micrograd_nn.optim import Adam
from micrograd_nn.serialize import MAX_BYTES, load, load_checkpoint
from micrograd_nn.train import train

XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [0.0, 1.0, 1.0, 0.0]
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX signals, FIFOs and modes")


def bits(model):
    """Every weight as its exact text (repr tells every last digit)."""
    return [(label, repr(p.data)) for label, p in model.named_parameters()]


def wait_for(path: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


# ----------------------------------------------------------------- signals, in a child process

CHILD = textwrap.dedent("""
    import json, sys
    from micrograd_nn import MLP
    from micrograd_nn.train import train
    model = MLP(2, [4, 1], activation="tanh", seed=0)
    history = train(model, {x}, {y}, optimizer="adam", lr=0.01, epochs=10**9, progress=False,
                    checkpoint=sys.argv[1], checkpoint_every=50, history_file=sys.argv[2])
    print(json.dumps({{"signal": history.signal, "interrupted": history.interrupted,
                      "epoch": history.epoch}}))
    sys.exit(1 if history.interrupted else 0)
""").format(x=XOR_X, y=XOR_Y)


@POSIX
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_stops_train_at_an_epoch_and_saves_everything(tmp_path, sig):
    """kill -TERM (or -HUP, or Ctrl-C's SIGINT) a process inside train(): it returns, with
    the checkpoint and history.csv at the same whole epoch, the weights those epochs give."""
    checkpoint, history_csv = tmp_path / "model.json", tmp_path / "history.csv"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(checkpoint), str(history_csv)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(checkpoint)
    child.send_signal(sig)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 1, err  # the script's own exit: train() returned
    assert "Traceback" not in err
    result = json.loads(out)
    assert result["signal"] == sig.name and result["interrupted"]
    model, training = load_checkpoint(checkpoint)
    assert training["epoch"] == result["epoch"] > 0
    lines = history_csv.read_text().splitlines()
    assert len(lines) == 1 + result["epoch"] and lines[-1].startswith(f"{result['epoch'] - 1},")
    straight = MLP(2, [4, 1], activation="tanh", seed=0)
    train(straight, XOR_X, XOR_Y, optimizer="adam", lr=0.01, epochs=result["epoch"], progress=False)
    assert bits(model) == bits(straight)


@POSIX
@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_the_train_command_treats_sigterm_and_sighup_like_ctrl_c(tmp_path, sig, status):
    out = tmp_path / "run"
    child = subprocess.Popen(
        [sys.executable, "-m", "micrograd_nn", "train", "doc003", "--epochs", "100000000",
         "--checkpoint-every", "100", "--out", str(out), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    wait_for(out / "model.json")
    child.send_signal(sig)
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == status
    assert stderr == ""  # no traceback
    [line] = [line for line in stdout.splitlines() if line.startswith("interrupted")]
    assert line.startswith(f"interrupted by {sig.name} after ")
    epochs = int(line.split(" after ")[1].split(" of ")[0])
    assert load_checkpoint(out / "model.json")[1]["epoch"] == epochs
    assert len((out / "history.csv").read_text().splitlines()) == 1 + epochs
    assert (out / "loss.png").exists()


@POSIX
def test_train_puts_the_signal_handlers_back_and_runs_in_a_thread():
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    train(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, epochs=3, progress=False)
    assert {sig: signal.getsignal(sig) for sig in before} == before
    histories = []
    thread = threading.Thread(target=lambda: histories.append(
        train(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, epochs=3, progress=False)))  # no handlers there
    thread.start()
    thread.join(60)
    assert len(histories[0].losses) == 3 and histories[0].signal is None


# ----------------------------------------------------------------- resume, bit for bit

RUNS = [
    dict(optimizer="adam", lr=0.01, batch=2, shuffle=True, seed=3),
    dict(optimizer="momentum", lr=0.05, batch=2, shuffle=True, seed=3),
    dict(optimizer="sgd", lr=0.1, batch=1, shuffle=True, seed=3),
    dict(optimizer="adam", lr=0.01, batch="full"),
]


@pytest.mark.parametrize("options", RUNS, ids=lambda o: f"{o['optimizer']}-{o['batch']}")
def test_500_plus_500_resumed_epochs_equal_1000_bit_for_bit(tmp_path, options):
    straight = MLP(2, [3, 1], activation="tanh", seed=0)
    whole = train(straight, XOR_X, XOR_Y, epochs=1000, progress=False,
                  history_file=tmp_path / "straight.csv", **options)

    first = MLP(2, [3, 1], activation="tanh", seed=0)
    train(first, XOR_X, XOR_Y, epochs=500, progress=False, checkpoint=tmp_path / "m.json",
          history_file=tmp_path / "h.csv", **options)
    model, training = load_checkpoint(tmp_path / "m.json")
    assert training["epoch"] == 500
    second = train(model, XOR_X, XOR_Y, epochs=500, progress=False, resume=training,
                   checkpoint=tmp_path / "m.json", history_file=tmp_path / "h.csv", **options)
    assert bits(model) == bits(straight)
    assert second.first_epoch == 500 and second.losses == whole.losses[500:]
    assert (tmp_path / "h.csv").read_bytes() == (tmp_path / "straight.csv").read_bytes()
    assert load_checkpoint(tmp_path / "m.json")[1]["epoch"] == 1000


def test_without_the_optimizer_state_adam_would_not_go_on_the_same():
    """The test above is not vacuous: resuming Adam from the weights alone differs."""
    straight = MLP(2, [3, 1], activation="tanh", seed=0)
    train(straight, XOR_X, XOR_Y, optimizer="adam", lr=0.01, epochs=100, progress=False)
    halves = MLP(2, [3, 1], activation="tanh", seed=0)
    for _ in range(2):
        train(halves, XOR_X, XOR_Y, optimizer="adam", lr=0.01, epochs=50, progress=False)
    assert bits(halves) != bits(straight)


def test_a_version_1_model_file_still_loads_and_resumes_as_weights(tmp_path):
    model = MLP(2, [2, 1], activation="sigmoid", seed=0)
    document = serialize.to_dict(model)
    assert document["version"] == 1 and "training" not in document
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document))
    loaded, training = load_checkpoint(path)
    assert training is None and bits(loaded) == bits(model)
    history = train(loaded, XOR_X, XOR_Y, epochs=3, resume=training, progress=False)
    assert history.first_epoch == 0 and len(history.losses) == 3


def test_resume_refuses_another_optimizer(tmp_path):
    train(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, optimizer="adam", epochs=2, progress=False,
          checkpoint=tmp_path / "m.json")
    model, training = load_checkpoint(tmp_path / "m.json")
    with pytest.raises(ValueError, match=r"trained with optimizer 'adam'; pass optimizer='adam'"):
        train(model, XOR_X, XOR_Y, optimizer="sgd", epochs=2, resume=training, progress=False)


def test_a_run_that_fails_before_its_first_save_leaves_history_csv_and_the_checkpoint(tmp_path):
    files = dict(checkpoint=tmp_path / "m.json", history_file=tmp_path / "h.csv")
    train(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, epochs=5, progress=False, **files)
    before = {name: path.read_bytes() for name, path in files.items()}
    assert before["history_file"].count(b"\n") == 6

    def diverge(epoch, loss):
        raise FloatingPointError("diverged")

    for resume in (None, load_checkpoint(files["checkpoint"])[1]):  # a fresh run, a resumed one
        with pytest.raises(FloatingPointError):
            train(MLP(2, [2, 1], seed=1), XOR_X, XOR_Y, epochs=5, progress=False,
                  on_epoch=diverge, resume=resume, **files)
        assert {name: path.read_bytes() for name, path in files.items()} == before


@pytest.mark.parametrize("changed, message", [
    (dict(batch="full"), r"batch=2, not batch='full'; pass batch=2 to resume it"),
    (dict(batch=1), r"batch=2, not batch=1; pass batch=2"),
    (dict(loss="sse"), r"loss='mse', not loss='sse'; pass loss='mse'"),
    (dict(l2=1e-4), r"l2=0.0, not l2=0.0001; pass l2=0.0"),
    (dict(shuffle=False), r"shuffle=True, not shuffle=False; pass shuffle=True"),
])
def test_resume_refuses_other_settings_than_the_checkpoints(tmp_path, changed, message):
    options = dict(optimizer="adam", batch=2, shuffle=True, seed=3, loss="mse", l2=0.0)
    train(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, epochs=2, progress=False,
          checkpoint=tmp_path / "m.json", **options)
    model, training = load_checkpoint(tmp_path / "m.json")
    with pytest.raises(ValueError, match=rf"^train: the checkpoint was trained with {message}"):
        train(model, XOR_X, XOR_Y, epochs=2, resume=training, progress=False,
              **{**options, **changed})
    train(model, XOR_X, XOR_Y, epochs=2, resume=training, progress=False, **options)  # the same


def test_resume_without_shuffle_refuses_shuffle(tmp_path):
    train(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, epochs=2, batch=2, progress=False,
          checkpoint=tmp_path / "m.json")
    model, training = load_checkpoint(tmp_path / "m.json")
    with pytest.raises(ValueError, match=r"shuffle=False, not shuffle=True; pass shuffle=False"):
        train(model, XOR_X, XOR_Y, epochs=2, batch=2, shuffle=True, seed=1, resume=training,
              progress=False)


@pytest.mark.parametrize("after", ["3", "3,0.2", "3,0.2\n4", "1", ""])
def test_a_torn_row_after_the_checkpoints_epochs_keeps_the_earlier_rows(tmp_path, after):
    files = dict(checkpoint=tmp_path / "m.json", history_file=tmp_path / "h.csv")
    train(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, epochs=3, progress=False, **files)
    earlier = files["history_file"].read_text()
    files["history_file"].write_text(earlier + after)  # killed while appending epoch 3
    model, training = load_checkpoint(files["checkpoint"])
    train(model, XOR_X, XOR_Y, epochs=2, progress=False, resume=training, **files)
    lines = files["history_file"].read_text().splitlines()
    assert "\n".join(lines[:4]) + "\n" == earlier
    assert [line.split(",")[0] for line in lines] == ["epoch", "0", "1", "2", "3", "4"]


def test_resume_refuses_a_history_file_with_other_columns_and_keeps_it(tmp_path):
    files = dict(checkpoint=tmp_path / "m.json", history_file=tmp_path / "h.csv")
    train(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, epochs=3, progress=False, **files)
    before = files["history_file"].read_bytes()
    model, training = load_checkpoint(files["checkpoint"])
    with pytest.raises(ValueError, match=r"^train: history_file '.*h.csv' has the columns "
                       r"'epoch,loss', not this run's 'epoch,loss,W1.*' \(track_parameters="
                       r"True\); pass the track_parameters of the run that wrote it"):
        train(model, XOR_X, XOR_Y, epochs=2, progress=False, resume=training,
              track_parameters=True, **files)
    assert files["history_file"].read_bytes() == before


def test_the_train_command_resumed_into_its_folder_continues_history_csv(tmp_path):
    run = [sys.executable, "-m", "micrograd_nn", "train", "doc003", "--out", "d", "--quiet"]
    subprocess.run(run + ["--epochs", "30", "--optimizer", "adam"], cwd=tmp_path, check=True,
                   capture_output=True)
    resumed = subprocess.run(run + ["--epochs", "20", "--resume", "d/model.json"], cwd=tmp_path,
                             check=True, capture_output=True, text=True)
    assert "(epoch 30) -> " in resumed.stdout and "(epoch 49)" in resumed.stdout
    subprocess.run([*run[:-2], "e", "--quiet", "--epochs", "50", "--optimizer", "adam"],
                   cwd=tmp_path, check=True, capture_output=True)
    resumed_csv, straight_csv = tmp_path / "d" / "history.csv", tmp_path / "e" / "history.csv"
    assert resumed_csv.read_bytes() == straight_csv.read_bytes()
    assert bits(load(tmp_path / "d" / "model.json")) == bits(load(tmp_path / "e" / "model.json"))


def test_a_resumed_train_command_keeps_the_checkpoints_batch_and_lr(tmp_path):
    from micrograd_nn.documents.training import train_network

    def quiet(line):
        pass

    options = dict(optimizer="momentum", lr=0.3, batch=2, progress=False, echo=quiet)
    train_network("doc003", epochs=20, out=tmp_path / "a", **options)
    train_network("doc003", epochs=20, out=tmp_path / "a", resume=tmp_path / "a" / "model.json",
                  progress=False, echo=quiet)  # no optimizer, lr or batch: the checkpoint's
    straight = train_network("doc003", epochs=40, out=tmp_path / "b", **options)
    assert bits(load(tmp_path / "a" / "model.json")) == bits(straight["model"])
    resumed_csv, straight_csv = tmp_path / "a" / "history.csv", tmp_path / "b" / "history.csv"
    assert resumed_csv.read_bytes() == straight_csv.read_bytes()


@pytest.mark.parametrize("resume, message", [
    ("missing.json", r"No such file or directory: 'missing.json'"),
    ("xor/model.json", r"--resume xor/model.json: the saved model is MLP of .*not this network"),
])
def test_a_failed_resume_leaves_no_empty_folder(tmp_path, resume, message):
    MLP(2, [3, 1], seed=0).save(tmp_path / "xor" / "model.json")
    command = [sys.executable, "-m", "micrograd_nn", "train", "doc001", "--resume", resume]
    failed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert failed.returncode == 1
    [line] = failed.stderr.splitlines()
    assert re.search(message, line), line
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------- never torn


def test_an_interrupt_inside_a_step_leaves_the_last_whole_epoch(tmp_path, monkeypatch):
    """KeyboardInterrupt half-way through Adam's update of the parameters, in epoch 4:
    the model and its checkpoint are those of 3 whole epochs, moments and step count too."""
    real = Adam.step
    calls = []

    def torn_step(self):
        calls.append(1)
        if len(calls) == 4:
            half = len(self.params) // 2
            for p in self.params[:half]:
                p.data += 1.0  # a half-done update
            raise KeyboardInterrupt
        real(self)

    monkeypatch.setattr(Adam, "step", torn_step)
    model = MLP(2, [3, 1], seed=0)
    history = train(model, XOR_X, XOR_Y, optimizer="adam", lr=0.01, epochs=10, progress=False,
                    checkpoint=tmp_path / "m.json")
    monkeypatch.undo()
    assert history.interrupted and history.epoch == 3
    straight = MLP(2, [3, 1], seed=0)
    train(straight, XOR_X, XOR_Y, optimizer="adam", lr=0.01, epochs=3, progress=False,
          checkpoint=tmp_path / "straight.json")
    assert bits(model) == bits(straight)
    saved, training = load_checkpoint(tmp_path / "m.json")
    assert bits(saved) == bits(straight)
    assert training == load_checkpoint(tmp_path / "straight.json")[1]
    assert training["optimizer"]["t"] == 3


# ----------------------------------------------------------------- bad data, refused up front

BAD_DATA = [
    # (what, inputs, targets, options, error, message)
    ("a long row, full batch", [[0, 0], [1, 1, 1], [1, 0], [1, 1]], XOR_Y, {}, ValueError,
     r"inputs\[1\] has 3 numbers, but the model takes 2"),
    ("a long row, mini-batches", [[0, 0], [1, 1, 1], [1, 0], [1, 1]], XOR_Y, {"batch": 2},
     ValueError,
     r"inputs\[1\] has 3 numbers, but the model takes 2"),
    ("a long row, per sample", [[0, 0], [1, 1, 1], [1, 0], [1, 1]], XOR_Y, {"batch": 1}, ValueError,
     r"inputs\[1\] has 3 numbers, but the model takes 2"),
    ("a short row, full batch", [[0, 0], [0, 1], [1], [1, 1]], XOR_Y, {}, ValueError,
     r"inputs\[2\] has 1 number, but the model takes 2"),
    ("a short row, mini-batches", [[0, 0], [0, 1], [1], [1, 1]], XOR_Y, {"batch": 3}, ValueError,
     r"inputs\[2\] has 1 number, but the model takes 2"),
    ("an empty row", [[0, 0], [], [1, 0], [1, 1]], XOR_Y, {"batch": 1}, ValueError,
     r"inputs\[1\] has 0 numbers"),
    ("None in an input", [[0, 0], [0, None], [1, 0], [1, 1]], XOR_Y, {}, TypeError,
     r"inputs\[1\]\[1\] is NoneType None; every input must be a number"),
    ("'inf' in an input", [[0, 0], [0, 1], ["inf", 0], [1, 1]], XOR_Y, {}, TypeError,
     r"inputs\[2\]\[0\] is str 'inf'; every input must be a number .*float\(\)"),
    ("text in an input", [[0, "x"], [0, 1], [1, 0], [1, 1]], XOR_Y, {}, TypeError,
     r"inputs\[0\]\[1\] is str 'x'"),
    ("a row that is text", [[0, 0], "01", [1, 0], [1, 1]], XOR_Y, {}, TypeError,
     r"inputs\[1\] is str '01'; each sample is a list of 2 numbers"),
    ("NaN in an input", [[0, 0], [0, 1], [1, math.nan], [1, 1]], XOR_Y, {}, ValueError,
     r"inputs\[2\]\[1\] is nan; every input must be a finite number"),
    ("inf in a numpy input", np.array([[0, 0], [0, 1], [1, 0], [np.inf, 1]]), XOR_Y, {}, ValueError,
     r"inputs\[3\]\[0\] is inf;"),
    ("a huge integer input", [[0, 0], [0, 1], [1, 0], [10**400, 1]], XOR_Y, {}, ValueError,
     r"inputs\[3\]\[0\] is 1000+\.\.\.\(401 characters\); every input must be a finite number"),
    ("None as a target", XOR_X, [0, None, 1, 0], {}, TypeError, r"targets\[1\] is NoneType None"),
    ("'inf' as a target", XOR_X, [0, 1, "inf", 0], {}, TypeError, r"targets\[2\] is str 'inf'"),
    ("'1' as a target", XOR_X, ["1", 1, 1, 0], {}, TypeError, r"targets\[0\] is str '1'"),
    ("NaN as a target", XOR_X, [0, 1, 1, math.nan], {}, ValueError, r"targets\[3\] is nan"),
    ("-inf as a target", XOR_X, [0, -math.inf, 1, 0], {}, ValueError, r"targets\[1\] is -inf"),
    ('shuffle="yes"', XOR_X, XOR_Y, {"shuffle": "yes", "batch": 2}, TypeError,
     r"shuffle must be True or False"),
    ("shuffle=1", XOR_X, XOR_Y, {"shuffle": 1, "batch": 2}, TypeError,
     r"shuffle must be True or False"),
]


@pytest.mark.parametrize("what, inputs, targets, options, error, message", BAD_DATA,
                         ids=[row[0] for row in BAD_DATA])
def test_bad_data_is_refused_before_training_naming_the_sample(what, inputs, targets, options,
                                                              error, message):
    model = MLP(2, [2, 1], seed=0)
    before = bits(model)
    with pytest.raises(error, match=message):
        train(model, inputs, targets, epochs=2, progress=False, **options)
    assert bits(model) == before  # refused before any step


@pytest.mark.parametrize("module", [Neuron(2, seed=0), Layer(2, 3, seed=0), MLP(2, [3, 1], seed=0)],
                         ids=["Neuron", "Layer", "MLP"])
@pytest.mark.parametrize("x, index, shown", [
    ([math.nan, 1.0], 0, "nan"), ([1.0, math.inf], 1, "inf"), ([1, -math.inf], 1, "-inf"),
    ([np.float64("nan"), 0], 0, "nan"),
])
def test_models_refuse_plain_nan_and_inf_inputs_naming_the_index(module, x, index, shown):
    message = rf"input {index} is {shown}; inputs must be finite numbers"
    with pytest.raises(ValueError, match=message):
        module(x)


def test_a_value_holding_nan_still_passes_a_model():
    out = MLP(2, [3, 1], seed=0)([Value(math.nan), 1.0])
    assert math.isnan(out.data)


def test_a_parameter_set_to_text_is_named_in_the_next_call():
    model = MLP(2, [2, 1], seed=0)
    model.parameters()[1].data = "0.5"
    with pytest.raises(TypeError, match=r"parameter W1\[0,1\] holds str '0.5', not a number; "
                                        r"assign it a float \(p.data = float\(text\)\)"):
        model([1.0, 2.0])


def test_detect_anomaly_is_per_thread():
    """A thread inside detect_anomaly() checks its own ops only."""
    inside, done = threading.Event(), threading.Event()
    raised = []

    def checked():
        with detect_anomaly():
            inside.set()
            try:
                Value(1e200) * 1e200
            except FloatingPointError as error:
                raised.append(error)
            done.wait(10)

    thread = threading.Thread(target=checked)
    thread.start()
    try:
        assert inside.wait(10)
        product = Value(1e200) * 1e200  # this thread is not inside: IEEE arithmetic, inf
        product.backward()
        assert product.data == math.inf
    finally:
        done.set()
        thread.join()
    assert len(raised) == 1


# ----------------------------------------------------------------- saving to real files


@POSIX
def test_saving_through_a_symlink_writes_the_target(tmp_path):
    (tmp_path / "models").mkdir()
    target = tmp_path / "models" / "v1.json"
    MLP(2, [2, 1], seed=0).save(target)
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    newer = MLP(2, [2, 1], seed=1)
    newer.save(link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert bits(load(target)) == bits(newer)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@POSIX
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444])
def test_saving_again_keeps_the_files_mode(tmp_path, mode):
    path = tmp_path / "m.json"
    MLP(2, [2, 1], seed=0).save(path)
    os.chmod(path, mode)
    MLP(2, [2, 1], seed=1).save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == mode


@POSIX
def test_a_new_file_gets_the_umasks_mode(tmp_path):
    old = os.umask(0o027)
    try:
        MLP(2, [2, 1], seed=0).save(tmp_path / "m.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "m.json").st_mode) == 0o640


def test_a_failed_save_names_the_target_not_the_temporary_file(tmp_path):
    (tmp_path / "m.json").mkdir()
    with pytest.raises(IsADirectoryError) as info:
        _saving.write_atomically(tmp_path / "m.json", "{}")
    assert str(info.value) == f"[Errno {info.value.errno}] {os.strerror(info.value.errno)}: " \
                              f"'{tmp_path / 'm.json'}'"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]  # no temporary left


def test_explorer_save_names_a_bad_target(tmp_path):
    from micrograd_nn.explore import Explorer

    x = Value(2.0, label="x")
    y = x * x
    y.backward()
    (tmp_path / "page.html").mkdir()
    with pytest.raises(IsADirectoryError, match=r"Is a directory: '.*page.html'$"):
        Explorer(y).save(tmp_path / "page.html")
    if os.name == "posix":  # written atomically, as models are: through a symlink
        (tmp_path / "pages").mkdir()
        (tmp_path / "pages" / "x.html").write_text("old")
        (tmp_path / "latest.html").symlink_to(tmp_path / "pages" / "x.html")
        Explorer(y).save(tmp_path / "latest.html")
        assert (tmp_path / "latest.html").is_symlink()
        assert (tmp_path / "pages" / "x.html").read_text().startswith("<!DOCTYPE html>")


@POSIX
def test_killed_saves_temporary_files_are_removed_by_the_next_save(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # it has exited
    stale = [tmp_path / f".m.json.micrograd-nn.{dead}.0badc0de.tmp",
             tmp_path / f".m.json.{dead}.0badc0de.tmp", tmp_path / ".m.json.deadbeef.tmp"]
    fresh_old_style = tmp_path / ".m.json.cafef00d.tmp"  # no pid, a minute not yet gone
    alive = tmp_path / f".m.json.micrograd-nn.{os.getppid()}.12345678.tmp"  # a running writer's
    # Not m.json's: another file's (saved by its own next save) and the user's own files
    others = [tmp_path / f".other.json.micrograd-nn.{dead}.0badc0de.tmp",
              tmp_path / ".notes.deadbeef.tmp", tmp_path / f".notes.{dead}.deadbeef.tmp",
              tmp_path / ".notes.tmp"]
    hour_ago = time.time() - 3600
    for path in [*stale, fresh_old_style, alive, *others]:
        path.write_text("{")
        if path not in (fresh_old_style, alive):
            os.utime(path, (hour_ago, hour_ago))
    MLP(2, [2, 1], seed=0).save(tmp_path / "m.json")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(p.name for p in [fresh_old_style, alive, *others, tmp_path / "m.json"])


@POSIX
def test_a_save_names_its_temporary_file_with_a_tag(tmp_path, monkeypatch):
    names = []
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (names.append(Path(a).name), replace(a, b)))
    MLP(2, [2, 1], seed=0).save(tmp_path / "m.json")
    assert re.fullmatch(rf"\.m\.json\.micrograd-nn\.{os.getpid()}\.[0-9a-f]{{8}}\.tmp", names[0])


# ----------------------------------------------------------------- hostile files

def _text(model=None) -> str:
    return json.dumps(serialize.to_dict(model or MLP(2, [2, 1], seed=0)))


def _weight(text: str):
    """A model file whose first 0.0 weight reads ``text``."""
    return lambda p: p.write_text(_text().replace("0.0]", text + "]", 1))


_SGD_STATE = ('{"epoch": 1, "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.0, '
              '"velocity": ' + json.dumps([0.0] * 9) + '}}')


def _training(section: str):
    """A version-2 model file with the ``training`` section ``section`` (JSON text)."""
    document = _text().replace('"version": 1', '"version": 2')
    return lambda p: p.write_text(document[:-1] + ', "training": ' + section + "}")


HOSTILE = [
    # (name, how to make it at a path, message)
    ("deeply nested JSON", lambda p: p.write_text("[" * 100_000 + "]" * 100_000),
     r"the JSON is nested too deeply to read \(a saved model is nested 4 levels\)"),
    ("deeply nested objects", lambda p: p.write_text('{"a":' * 50_000 + "1" + "}" * 50_000),
     r"nested too deeply"),
    ("trailing garbage", lambda p: p.write_text(_text() + "\ngarbage"),
     r"the document ends before line 2, column 1, where more text follows \('garbage'\); "
     r"the file was edited or two files were joined"),
    ("two models joined", lambda p: p.write_text(_text() + _text()),
     r"where more text follows .*two files were joined"),
    ("all NUL bytes", lambda p: p.write_bytes(b"\0" * 4096),
     r"the file is 4,096 NUL \(zero\) bytes and no text: its content never reached the disk"),
    ("NUL bytes after the text", lambda p: p.write_bytes(_text().encode() + b"\0" * 100),
     r"holds a NUL \(zero\) byte at byte [\d,]+ \(line 1\); .*the file was damaged"),
    ("cut short", lambda p: p.write_text(_text()[:60]), r"the file was probably cut short"),
    ("empty", lambda p: p.write_text(""), r"the file is empty"),
    ("whitespace only", lambda p: p.write_text("  \n\n"), r"the file is empty"),
    ("not UTF-8", lambda p: p.write_bytes(b'{"format": "\xff\xfe"}'),
     r"is not a text \(UTF-8\) file \(byte 12 is 0xff\)"),
    ("a PNG", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100)),
     r"is not a text \(UTF-8\) file"),
    ("a huge integer weight", _weight("1" + "0" * 400),
     r"is 1000+\.\.\.\(401 characters\); every weight must be a finite number$"),
    ("an integer past Python's digit limit", _weight("9" * 5000),
     r"^load: .*: .{1,220}$"),
    ("a megabyte-long key", lambda p: p.write_text(_text()[:-1] + ', "' + "k" * 2**20 + '": 1}'),
     r"unexpected key 'k+\.\.\.\(1048578 characters\); the keys are"),
    ("1e999", _weight("1e999"), r"is inf; every weight must be"),
    ("NaN", _weight("NaN"), r"NaN is not a number JSON allows"),
    ("a duplicated key",
     lambda p: p.write_text(_text().replace('"version": 1,', '"version": 1, "version": 1,')),
     r"the key 'version' appears twice"),
    ("a list", lambda p: p.write_text("[]"), r"holds a list \[...\], not a saved model"),
    ("a number", lambda p: p.write_text("1e400"), r"holds .*not a saved model|finite"),
    ("a torn training section", _training('{"epoch": 3, "optimizer": {"type": "Adam"}}'),
     r"training.optimizer has no 'lr'"),
    ("moments for another model", _training('{"epoch": 3, "optimizer": {"type": "SGD", "lr": 0.1, '
                                            '"momentum": 0.9, "velocity": [0.0]}}'),
     r"training.optimizer.velocity has 1 entry, expected 9"),
    ("a shuffle state out of range", _training(
        '{"epoch": 1, "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.0, "velocity": '
        + json.dumps([0.0] * 9) + '}, "shuffle": {"bit_generator": "PCG64", "state": "' + "9" * 50
        + '", "inc": "1", "has_uint32": 0, "uinteger": 0}}'),
     r"training.shuffle.state must be a whole number below 2\*\*128"),
    ("an lr of 1e400", _training('{"epoch": 1, "optimizer": {"type": "SGD", "lr": 1e400, '
                                 '"momentum": 0.0, "velocity": ' + json.dumps([0.0] * 9) + '}}'),
     r"training.optimizer.lr is inf; it must be a finite number$"),
    ("an unknown loss", _training(_SGD_STATE[:-1] + ', "loss": "msee"}'),
     r"training.loss is 'msee', not a loss train knows; one of: mse, sse, "),
    ("a negative l2", _training(_SGD_STATE[:-1] + ', "l2": -5}'),
     r"training.l2 is -5.0; the weight of the L2 penalty is >= 0$"),
]
SPECIAL = [
    # (name, make the path (or None to skip), message)
    ("a folder", lambda tmp: _mkdir(tmp / "model.json"), r"is a folder, not a file"),
    ("a FIFO", lambda tmp: _fifo(tmp / "fifo.json"), r"is a FIFO \(named pipe\), not a file"),
    ("/dev/zero", lambda tmp: Path("/dev/zero") if os.path.exists("/dev/zero") else None,
     r"is a character device, not a file"),
    ("/dev/null", lambda tmp: Path("/dev/null") if os.path.exists("/dev/null") else None,
     r"is a character device, not a file"),
    ("a socket", lambda tmp: _socket(tmp / "s.sock"), r"is a socket, not a file"),
    ("a file past MAX_BYTES", lambda tmp: _sparse(tmp / "big.json", MAX_BYTES + 1),
     r"the file is 64 MiB, more than any saved model \(at most 64 MiB are read\); "
     r"it is not a model file"),
    ("a huge sparse file", lambda tmp: _sparse(tmp / "huge.json", 2**40),
     r"the file is 1,048,576 MiB, more than any saved model"),
    ("a symlink to /dev/zero", lambda tmp: _link(tmp / "zero.json", "/dev/zero"),
     r"is a character device"),
]


def _mkdir(path):
    path.mkdir()
    return path


def _fifo(path):
    if not hasattr(os, "mkfifo"):
        return None
    os.mkfifo(path)
    return path


def _socket(path):
    if not hasattr(socket, "AF_UNIX"):
        return None
    if len(str(path)) > 100:  # beyond a socket address's 108 bytes: a short folder instead
        path = Path(tempfile.mkdtemp(prefix="mgnn")) / "model.json"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


def _sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def _link(path, target):
    if not os.path.exists(target):
        return None
    path.symlink_to(target)
    return path


@pytest.mark.parametrize("name, make, message", HOSTILE, ids=[row[0] for row in HOSTILE])
def test_hostile_files_are_refused_saying_what_is_wrong(tmp_path, name, make, message):
    path = tmp_path / "model.json"
    make(path)
    with pytest.raises(ValueError) as info:
        load(path)
    text = str(info.value)
    assert text.startswith(f"load: {path}: ") and re.search(message, text), text
    assert len(text) < 400  # quoted values are capped
    assert "probably cut short" not in text or name == "cut short"


@pytest.mark.parametrize("name, make, message", SPECIAL, ids=[row[0] for row in SPECIAL])
def test_anything_but_a_regular_file_of_sane_size_is_refused_unread(tmp_path, name, make, message):
    path = make(tmp_path)
    if path is None:
        pytest.skip(f"{name}: not on this system")
    result = []
    reader = threading.Thread(target=lambda: result.append(_load_error(path)), daemon=True)
    reader.start()
    reader.join(20)  # a FIFO opened for reading would block here, /dev/zero fill the memory
    assert result, f"load({path}) did not return"
    [error] = result
    assert isinstance(error, ValueError) and re.search(message, str(error)), error


def _load_error(path):
    try:
        load(path)
    except Exception as error:  # noqa: BLE001 (the test looks at it)
        return error
    return None


def test_the_cli_prints_one_line_for_a_deeply_nested_file(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    command = [sys.executable, "-m", "micrograd_nn", "train", "doc003", "--resume", "deep.json"]
    failed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [
        "micrograd-nn train: error: load: deep.json: the JSON is nested too deeply to read "
        "(a saved model is nested 4 levels); it is not a model file"
    ]


# ----------------------------------------------------------------- Graphviz escapes


@pytest.mark.needs_dot
def test_graphviz_escapes_in_labels_are_shown_as_typed():
    x = Value(1.0, label="a\\Nb\\G\tc")
    y = x * 2
    y.label = "y\\N\\E\\T\\H\\L"
    svg = draw_graph(y).pipe(format="svg").decode("utf-8")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "a\\Nb\\G\xa0\xa0\xa0\xa0c" in texts
    assert "y\\N\\E\\T\\H\\L" in texts



@pytest.mark.needs_dot
def test_graphviz_escapes_in_tooltips_are_shown_as_typed():
    """A tooltip expands escapes once more than a label: \\N must not become the node's id."""
    x = Value(1.0, label='a\\Nb\\G"q"')
    y = x * 2
    svg = draw_graph(y).pipe(format="svg").decode("utf-8")
    titles = [html.unescape(t) for t in re.findall(r'xlink:title="([^"]*)"', svg)]
    assert 'a\\Nb\\G"q": data 1.0, grad 0.0' in titles  # the node
    assert any(t.endswith('/d(a\\Nb\\G"q") = 2.0') for t in titles)  # its edge
    assert not any("v0" in t or "%3" in t for t in titles)
