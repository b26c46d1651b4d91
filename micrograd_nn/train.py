"""A training loop for any model and data set, with a progress bar and a history.

>>> from micrograd_nn import MLP
>>> from micrograd_nn.train import train
>>> model = MLP(2, [3, 1], activation="tanh", seed=0)
>>> history = train(model, [[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, -1], loss="mse",
...                 optimizer="adam", lr=0.05, epochs=300, progress=False)
>>> history.losses[-1] < 0.01
True

What survives what (see :func:`train`): Ctrl-C, SIGTERM and SIGHUP stop the run at
the end of the epoch in progress, and the checkpoint is then saved; a checkpoint
holds the optimizer's state, the epoch and the shuffle order, so a run resumed from it
goes on bit for bit as if it had not stopped.
"""
from __future__ import annotations

import contextlib
import csv
import io
import math
import numbers
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from . import _checks, _saving, anomaly
from ._checks import quote
from ._words import plural
from .engine import Value
from .losses import binary_cross_entropy, hinge, mse, sse
from .nn import MLP, Module
from .optim import SGD, Adam, Optimizer

__all__ = ["LOSSES", "OPTIMIZERS", "STOP_SIGNALS", "History", "make_optimizer", "optimizer_name",
           "train"]

LOSSES: dict[str, Callable] = {
    "mse": mse,
    "sse": sse,
    "binary_cross_entropy": binary_cross_entropy,
    "hinge": hinge,
}
OPTIMIZERS = ("sgd", "momentum", "adam")
#: The signals that end a run cleanly (those this platform has): Ctrl-C, ``kill``, a closed
#: terminal.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


@dataclass
class History:
    """What a training run leaves behind.

    Attributes:
        losses: one loss per epoch: for full-batch training the loss of that
            epoch's forward pass (before its update, as the documents print
            it); with mini-batches, the mean of the epoch's batch losses.
        parameters: label -> the parameter's value after each epoch (when
            ``track_parameters=True``), e.g. the trajectories of w1..w6.
        seconds: wall-clock time of the run.
        interrupted: True when Ctrl-C (or SIGTERM, SIGHUP, or a KeyboardInterrupt
            from ``on_epoch``) ended the run early. The model and the checkpoint
            hold the weights after the last whole epoch, the history its epochs.
        checkpoints: when ``train`` wrote its checkpoint file: the number of
            epochs finished at each save, counted from epoch 0 of the whole run
            (a run resumed at epoch 500 and saved after 10 more records 510).
        first_epoch: the number of the first epoch of ``losses``: 0, or for a run
            resumed from a checkpoint the epochs trained before it.
        signal: the signal that stopped the run, "SIGINT", "SIGTERM" or "SIGHUP"
            (None if none came).
    """

    losses: list[float] = field(default_factory=list)
    parameters: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False
    checkpoints: list[int] = field(default_factory=list)
    first_epoch: int = 0
    signal: str | None = None

    @property
    def epoch(self) -> int:
        """The epochs trained in all, counting those before a resumed run."""
        return self.first_epoch + len(self.losses)

    def header(self) -> list[str]:
        return ["epoch", "loss", *self.parameters]

    def rows(self, start: int = 0) -> list[list]:
        """The CSV rows of this run's epochs from index ``start`` of losses on."""
        names = list(self.parameters)
        return [[self.first_epoch + i, repr(self.losses[i]),
                 *(repr(self.parameters[n][i]) for n in names)]
                for i in range(start, len(self.losses))]

    def to_csv(self, path: str | Path) -> Path:
        """Write ``epoch,loss[,<parameter>...]`` rows (epochs numbered from
        ``first_epoch``), atomically; return the path."""
        path = _saving._as_path(path, "History.to_csv")
        _checks.make_folder(path.parent, "History.to_csv")
        _saving.write_atomically(path, _csv_text([self.header(), *self.rows()]))
        return path


def _csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _earlier_rows(path: Path, header: list[str], first_epoch: int) -> list[list[str]]:
    """The rows of ``path`` (a history.csv) before ``first_epoch``, if the file has
    rows up to epoch ``first_epoch - 1``, one per epoch; else none. What comes after
    them (the epochs of a run killed after its last checkpoint, a torn last row) is
    not read.

    Raises:
        ValueError: the file's header is not ``header`` (another ``track_parameters``,
            or not a history file): its rows are never dropped.
    """
    if first_epoch == 0:
        return []
    try:
        with open(path, newline="") as f:
            reader = csv.reader(f)
            found = next(reader, None)
            if found is None:
                return []  # an empty file
            if found != header:
                raise ValueError(
                    f"train: history_file {str(path)!r} has the columns {','.join(found)!r}, "
                    f"not this run's {','.join(header)!r} (track_parameters={len(header) > 2}); "
                    "pass the track_parameters of the run that wrote it, or another "
                    "history_file (this one is left as it is)"
                )
            rows = []
            for row in reader:
                if rows and int(rows[-1][0]) == first_epoch - 1:
                    break  # all the checkpoint's epochs: the rest is not needed
                epoch = int(row[0]) if row and row[0].isdigit() else None
                if epoch is not None and epoch >= first_epoch:
                    break
                if epoch is None or len(row) != len(header) \
                        or (rows and epoch != int(rows[-1][0]) + 1):
                    return []  # a damaged row before the checkpoint's epoch: start afresh
                rows.append(row)
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return rows if rows and int(rows[-1][0]) == first_epoch - 1 else []


class _HistoryFile:
    """history.csv kept in step with the checkpoint: the earlier rows of a resumed run,
    then this run's rows, appended (and synced) before each checkpoint is saved.

    The file is read at the start but only written at the first flush (the earlier rows
    and the new ones, atomically): a run that fails before its first save leaves the
    file as it was, in step with the checkpoint it also left alone."""

    def __init__(self, path: Path, history: History) -> None:
        self.path, self.history, self.written = path, history, 0
        self.earlier: list[list[str]] | None = _earlier_rows(path, history.header(),
                                                             history.first_epoch)
        _checks.make_folder(path.parent, "train: history_file")

    def flush(self) -> None:
        rows = self.history.rows(self.written)
        if self.earlier is not None:  # the first flush: the whole file, in one step
            _saving.write_atomically(self.path,
                                     _csv_text([self.history.header(), *self.earlier, *rows]))
            self.earlier = None
            self.written = len(self.history.losses)
            return
        if not rows:
            return
        with open(self.path, "a", newline="") as f:
            f.write(_csv_text(rows))
            f.flush()
            os.fsync(f.fileno())
        self.written = len(self.history.losses)


class _Stop:
    """While active (in the main thread): the first SIGINT, SIGTERM or SIGHUP is only
    noted, so the epoch in progress finishes and the run stops at its end; another one
    while steps run raises KeyboardInterrupt at once. Signals that are ignored (as
    ``nohup`` ignores SIGHUP) stay ignored; the previous handlers come back on exit."""

    def __init__(self) -> None:
        self.signal: str | None = None
        self.may_raise = False
        self.previous: dict = {}

    def _handle(self, signum, frame) -> None:
        if self.signal is None:
            self.signal = signal.Signals(signum).name
        elif self.may_raise:
            raise KeyboardInterrupt(f"{signal.Signals(signum).name} again: stopping now")

    def __enter__(self) -> "_Stop":
        if threading.current_thread() is threading.main_thread():
            for sig in STOP_SIGNALS:
                try:
                    if signal.getsignal(sig) == signal.SIG_IGN:
                        continue
                    self.previous[sig] = signal.signal(sig, self._handle)
                except (ValueError, OSError):  # not allowed here (an embedded interpreter)
                    pass
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)


def make_optimizer(name: str, params: list[Value], lr: float) -> Optimizer:
    """"sgd" (plain), "momentum" (SGD with momentum 0.9) or "adam"."""
    _checks.choice(name, OPTIMIZERS, "optimizer")
    if name == "adam":
        return Adam(params, lr=lr)
    return SGD(params, lr=lr, momentum=0.9 if name == "momentum" else 0.0)


def _forward(model: Module, inputs: list, columns: list, indices: list[int]):
    """The model's predictions for the samples at ``indices``: one scalar graph for a
    single sample (document 001's per-sample SGD), else one batched graph (each input
    a column of the batch), the same math for every sample at once."""
    if len(indices) == 1:
        return model(inputs[indices[0]])
    return model([column[indices] for column in columns])


def _batches(n: int, batch: str | int, rng) -> list[list[int]]:
    if batch == "full":
        return [list(range(n))]
    order = list(range(n)) if rng is None else [int(i) for i in rng.permutation(n)]
    return [order[i : i + batch] for i in range(0, n, batch)]


def optimizer_name(state: dict) -> str:
    """The :data:`OPTIMIZERS` name of an optimizer's ``state_dict()``: "adam", "momentum" or
    "sgd"."""
    if state.get("type") == "Adam":
        return "adam"
    return "momentum" if state.get("momentum", 0.0) else "sgd"


def _check_data(inputs: list, targets: list, nin: int | None) -> None:
    """Every sample a row of ``nin`` finite numbers, every target a finite number: the
    first that is not is named now (it would otherwise be cut off, or come back later as
    a NaN grad and "try a smaller learning rate")."""
    for i, row in enumerate(inputs):
        if isinstance(row, (numbers.Real, Value)):
            row = [row]  # a 1-input sample
        elif isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
            count = "the model's" if nin is None else nin
            raise TypeError(
                f"train: inputs[{i}] is {type(row).__name__} {quote(row)}; each sample is a list "
                f"of {count} numbers"
            )
        if nin is not None and len(row) != nin:
            raise ValueError(
                f"train: inputs[{i}] has {plural(len(row), 'number')}, but the "
                f"model takes {nin}; give every sample exactly {nin} (drop or fix that sample)"
            )
        for k, x in enumerate(row):
            _check_number(x, f"inputs[{i}][{k}]", "input", "drop or fill in that sample")
    for i, y in enumerate(targets):
        _check_number(y, f"targets[{i}]", "target", "drop or fix that sample")


def _check_number(x: object, where: str, what: str, fix: str) -> None:
    value = x.data if isinstance(x, Value) else x
    if not isinstance(value, numbers.Real):
        raise TypeError(
            f"train: {where} is {type(x).__name__} {quote(x)}; every {what} must be a number "
            f"({fix}, or convert the data with float())"
        )
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        shown = value if isinstance(value, int) else float(value)  # inf, not np.float64(inf)
        raise ValueError(
            f"train: {where} is {quote(shown)}; every {what} must be a finite number ({fix})"
        )


def _writable(path: str | os.PathLike, name: str, example: str) -> Path:
    """``path`` as a Path, checked to be a file that can be written: not empty, not a
    folder, in a folder that exists (it is created) and that we may write in."""
    path = _saving._as_path(path, f"train: {name}")
    if path.is_dir():
        raise ValueError(f"train: {name} {str(path)!r} is a folder; give a file name, "
                         f"such as {str(path / example)!r}")
    folder = path.parent
    try:
        _checks.make_folder(folder, f"train: {name}")
    except NotADirectoryError:
        raise
    except OSError as error:
        raise ValueError(f"train: {name} {str(path)!r}: cannot create the folder "
                         f"{str(folder)!r} ({error.strerror or error}); choose another path") \
            from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"train: {name} {str(path)!r}: the folder {str(folder)!r} cannot be "
                         "written to; choose another path")
    return path


def _rng_state(rng) -> dict | None:
    """The shuffle generator's state as a checkpoint holds it (128-bit numbers as text)."""
    if rng is None:
        return None
    state = rng.bit_generator.state
    return {"bit_generator": state["bit_generator"], "state": str(state["state"]["state"]),
            "inc": str(state["state"]["inc"]), "has_uint32": int(state["has_uint32"]),
            "uinteger": int(state["uinteger"])}


def _rng_from_state(state: dict):
    import numpy as np

    rng = np.random.Generator(getattr(np.random, state["bit_generator"])())
    rng.bit_generator.state = {
        "bit_generator": state["bit_generator"],
        "state": {"state": int(state["state"]), "inc": int(state["inc"])},
        "has_uint32": int(state["has_uint32"]), "uinteger": int(state["uinteger"]),
    }
    return rng


def train(
    model: Module,
    inputs: Sequence[Sequence[float]],
    targets: Sequence[float],
    *,
    loss: str = "mse",
    optimizer: str = "sgd",
    lr: float = 0.1,
    epochs: int = 100,
    batch: str | int = "full",
    shuffle: bool = False,
    l2: float = 0.0,
    seed=None,
    track_parameters: bool = False,
    progress: bool | None = None,
    on_epoch: Callable[[int, float], None] | None = None,
    checkpoint: str | Path | None = None,
    checkpoint_every: int | None = None,
    detect_anomaly: bool = False,
    resume: dict | None = None,
    history_file: str | Path | None = None,
) -> History:
    """Train ``model`` on (inputs, targets); return the :class:`History`.

    Args:
        model: a Module whose call maps one input to one prediction (a Value).
        inputs, targets: the data set, one row and one target per sample:
            every row exactly as long as the model's input, every entry and
            target a finite number (checked before training; the message names
            the sample).
        loss: a key of :data:`LOSSES`.
        optimizer: "sgd", "momentum" or "adam", with learning rate ``lr``.
        epochs: passes over the data (for a resumed run: this many more).
        batch: "full" (one step per epoch), or a batch size N (1 = per-sample
            SGD, as document 001).
        shuffle: True to shuffle the samples each epoch (mini-batches only),
            from ``seed``.
        l2: weight of an L2 penalty ``l2 * sum(p**2)`` (micrograd's demo uses 1e-4).
        track_parameters: record every parameter after each epoch.
        progress: show a tqdm bar (epoch, loss, speed); None = only on a terminal.
        on_epoch: called as ``on_epoch(epoch, loss)`` after each epoch (epochs
            numbered on from a resumed checkpoint's).
        checkpoint: a file to save the model to (an MLP; JSON, written
            atomically, so the file is always whole), with the training state
            (epoch, optimizer state, shuffle state: see
            :mod:`micrograd_nn.serialize`): every ``checkpoint_every`` epochs,
            and when the run ends, finished or interrupted. Only whole epochs
            are ever saved. :func:`micrograd_nn.serialize.load_checkpoint`
            reads it back.
        checkpoint_every: save every N epochs (counted from epoch 0 of the
            whole run; None: only at the end).
        detect_anomaly: run inside :func:`micrograd_nn.detect_anomaly`, so
            the first NaN or infinity raises ``FloatingPointError`` naming the
            op (slower; off by default).
        resume: the training state of a checkpoint (the second value of
            ``load_checkpoint``) to go on from, with ``model`` its model: the
            optimizer gets its moments and step count back (``lr`` is still
            this call's), the shuffle order goes on from where it stopped
            (instead of starting from ``seed``), and epochs are numbered on
            from the checkpoint's. ``optimizer``, ``batch``, ``loss``, ``l2``
            and ``shuffle`` must be the checkpoint's (a ValueError names the
            saved value and the passed one). 500
            epochs, then 500 resumed, end with the same weights, bit for bit,
            as 1000 in one run. None: a fresh start (an old model file without
            training state resumes this way, as weights only).
        history_file: a CSV file (``History.to_csv``'s columns) kept in step
            with the checkpoint: rewritten, right before the first checkpoint
            is saved, with the rows before a resumed run's first epoch that it
            already holds (if it holds them all, one per epoch; otherwise it
            starts afresh) and this run's, then appended to before each later
            save, so it always holds at least the epochs of the checkpoint. A
            run that fails (raises) before its first save leaves it untouched.
            Without a checkpoint, written at the end.

    Interruptions: the first Ctrl-C, SIGTERM or SIGHUP (in the main thread)
    lets the epoch in progress finish; the run then stops, saves the checkpoint
    and the history file, and returns (``history.interrupted`` is True and
    ``history.signal`` names the signal). A second one, or a KeyboardInterrupt
    raised in the middle of an epoch, stops at once, and the model (and so the
    checkpoint) goes back to the end of the last whole epoch: no file ever holds
    a state training never had. The previous signal handlers are put back
    before ``train`` returns.

    Raises:
        TypeError, ValueError: a bad argument, or inputs or targets that are
            not finite numbers or rows of the wrong length (the message names
            the sample).
    """
    if not isinstance(model, Module):
        raise TypeError(f"train: model must be a Module (Neuron, Layer, MLP), got {type(model).__name__}")
    last = model.layers[-1] if isinstance(model, MLP) else model
    if len(getattr(last, "neurons", [last])) != 1:
        raise ValueError(
            f"train: the model has {len(last.neurons)} outputs; train fits one prediction per sample, "
            "so give the last layer 1 neuron, for example MLP(2, [16, 1])"
        )
    inputs = _checks.as_list(inputs, "train: inputs must be a list of samples")
    targets = _checks.as_list(targets, "train: targets must be a list, one per sample")
    if len(inputs) != len(targets):
        raise ValueError(f"train: {plural(len(inputs), 'input')} but {plural(len(targets), 'target')}; pass one target per sample")
    if not inputs:
        raise ValueError("train: no samples; pass at least one input and target")
    loss_fn = LOSSES[_checks.choice(loss, LOSSES, "loss")]
    epochs = _checks.positive_int(epochs, "epochs")
    if batch != "full":
        batch = _checks.positive_int(batch, 'batch (a size, or "full")')
    _checks.boolean(shuffle, "train: shuffle")
    l2 = _checks.number_in(l2, "l2", 0.0, math.inf, low_open=False, high_open=True)
    _check_data(inputs, targets, getattr(model, "nin", None))
    if on_epoch is not None and not callable(on_epoch):
        raise TypeError(f"train: on_epoch must be a function (epoch, loss), got {type(on_epoch).__name__}")
    if checkpoint_every is not None:
        checkpoint_every = _checks.positive_int(checkpoint_every, "checkpoint_every")
        if checkpoint is None:
            raise ValueError("train: checkpoint_every needs a checkpoint file; pass checkpoint='model.json'")
    for name, path in (("checkpoint", checkpoint), ("history_file", history_file)):
        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise TypeError(
                f"train: {name} must be a file path (str or Path), got {type(path).__name__}")
    if checkpoint is not None and not isinstance(model, MLP):
        raise TypeError(f"train: checkpoints save an MLP, got {type(model).__name__}")
    # Before training, not after it (when the run would be lost): a file we can write.
    checkpoint = None if checkpoint is None else _writable(checkpoint, "checkpoint", "model.json")
    history_file = (None if history_file is None
                    else _writable(history_file, "history_file", "history.csv"))
    _checks.boolean(detect_anomaly, "detect_anomaly")
    params = model.parameters()
    opt = make_optimizer(optimizer, params, lr)
    first_epoch = 0
    rng = None
    if resume is not None:
        if not isinstance(resume, dict) or not isinstance(resume.get("optimizer"), dict):
            raise TypeError(
                "train: resume takes a checkpoint's training state, the second value of "
                f"serialize.load_checkpoint(path); got {type(resume).__name__}"
            )
        epoch = resume.get("epoch", 0)
        if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral):
            raise TypeError(
                f"train: resume['epoch'] must be a whole number >= 0 (the epochs trained), got "
                f"{type(epoch).__name__} {quote(epoch)}; pass the state load_checkpoint returns"
            )
        if epoch < 0:
            raise ValueError(f"train: resume['epoch'] must be a whole number >= 0 (the epochs "
                             f"trained), got {epoch}; pass the state load_checkpoint returns")
        saved = optimizer_name(resume["optimizer"])
        if saved != optimizer:
            raise ValueError(
                f"train: the checkpoint was trained with optimizer {saved!r}; "
                f"pass optimizer={saved!r} to resume it (or resume=None to start the optimizer "
                "afresh from the weights)"
            )
        # The rest of the run as the checkpoint's had it, or it would not go on bit for bit.
        passed = {"batch": batch, "loss": loss, "l2": l2, "shuffle": shuffle}
        for name, value in passed.items():
            if name not in resume:
                continue  # a state without it (written by hand): nothing to compare
            was = resume[name] if name != "shuffle" else resume[name] is not None
            if was != value:
                raise ValueError(
                    f"train: the checkpoint was trained with {name}={was!r}, not {name}={value!r}; "
                    f"pass {name}={was!r} to resume it (or resume=None to start the optimizer "
                    "afresh from the weights)"
                )
        try:
            opt.load_state_dict(resume["optimizer"])
        except (TypeError, ValueError) as error:
            raise type(error)(f"train: resume: {error}") from None
        opt.lr = _checks.number_in(lr, "lr", 0.0, math.inf, low_open=True, high_open=True)
        first_epoch = int(epoch)
        if shuffle and resume.get("shuffle") is not None:
            rng = _rng_from_state(resume["shuffle"])
    if shuffle and rng is None:
        rng = _checks.rng(seed, "train: seed")
    if checkpoint is not None and rng is not None:
        name = rng.bit_generator.state["bit_generator"]
        if name not in ("PCG64", "PCG64DXSM"):
            raise ValueError(
                f"train: a checkpoint stores the shuffle order of a PCG64 generator "
                f"(numpy's default), not {name}; pass seed as an int, or "
                "numpy.random.default_rng(...)"
            )
    if progress is None:
        progress = sys.stderr.isatty()

    from tqdm import tqdm  # lazily: only training needs it (plain tqdm: no widget warnings in notebooks)

    import numpy as np

    columns = [np.array(column, dtype=float) for column in zip(*inputs)]  # one per input feature
    targets_array = np.array(targets, dtype=float)
    history = History(parameters={p.label: [] for p in params} if track_parameters else {},
                      first_epoch=first_epoch)
    rows = _HistoryFile(Path(history_file), history) if history_file is not None else None

    def snapshot() -> tuple:
        shuffle_state = None if rng is None else rng.bit_generator.state
        return [p.data for p in params], opt.state_dict(), shuffle_state

    def restore(state: tuple) -> None:
        data, optimizer_state, rng_state = state
        for p, value in zip(params, data):
            p.data = value
        opt.load_state_dict(optimizer_state)
        if rng is not None:
            rng.bit_generator.state = rng_state

    def save_checkpoint() -> None:
        if rows is not None:
            rows.flush()  # first, so history.csv never has fewer epochs than the model file
        training = {"epoch": history.epoch, "optimizer": opt.state_dict(),
                    "shuffle": _rng_state(rng), "batch": batch, "loss": loss, "l2": l2}
        _saving.save(model, checkpoint, training=training)
        history.checkpoints.append(history.epoch)

    stop = _Stop()
    boundary = snapshot()  # the state after the last whole epoch
    start = time.perf_counter()
    bar = tqdm(range(epochs), desc="training", unit="epoch", disable=not progress, leave=False)
    with stop:
        try:
            with anomaly.detect_anomaly() if detect_anomaly else contextlib.nullcontext():
                for i in bar:
                    epoch = first_epoch + i
                    batch_losses = []
                    stop.may_raise = True
                    for indices in _batches(len(inputs), batch, rng):
                        predictions = _forward(model, inputs, columns, indices)
                        value = loss_fn(predictions, targets_array[indices])
                        if l2:
                            value = value + l2 * Value.sum([p * p for p in params])
                        opt.zero_grad()
                        value.backward()
                        opt.step()
                        batch_losses.append(value.data)
                    stop.may_raise = False
                    history.losses.append(sum(batch_losses) / len(batch_losses))
                    for p in params if track_parameters else ():
                        history.parameters[p.label].append(p.data)
                    boundary = snapshot()
                    bar.set_postfix(loss=f"{history.losses[-1]:.4g}", refresh=False)
                    if checkpoint_every is not None and (epoch + 1) % checkpoint_every == 0:
                        save_checkpoint()
                    if on_epoch is not None:
                        on_epoch(epoch, history.losses[-1])
                    if stop.signal is not None:
                        history.interrupted = i + 1 < epochs
                        break
        except KeyboardInterrupt:
            stop.may_raise = False
            history.interrupted = True
            restore(boundary)  # mid-epoch, even mid-step: back to the last whole epoch
        finally:
            stop.may_raise = False
            bar.close()
            history.seconds = time.perf_counter() - start
        if checkpoint is not None and history.checkpoints[-1:] != [history.epoch]:
            save_checkpoint()
        elif rows is not None:
            rows.flush()
    history.signal = stop.signal
    return history
