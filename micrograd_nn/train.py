"""A training loop for any model and data set, with a progress bar and a history.

>>> from micrograd_nn import MLP
>>> from micrograd_nn.train import train
>>> model = MLP(2, [3, 1], activation="tanh", seed=0)
>>> history = train(model, [[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, -1], loss="mse",
...                 optimizer="adam", lr=0.05, epochs=300, progress=False)
>>> history.losses[-1] < 0.01
True
"""
from __future__ import annotations

import contextlib
import csv
import math
import numbers
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from . import _checks, anomaly
from .engine import Value
from .losses import binary_cross_entropy, hinge, mse, sse
from .nn import MLP, Module
from .optim import SGD, Adam, Optimizer

__all__ = ["LOSSES", "OPTIMIZERS", "History", "make_optimizer", "train"]

LOSSES: dict[str, Callable] = {
    "mse": mse,
    "sse": sse,
    "binary_cross_entropy": binary_cross_entropy,
    "hinge": hinge,
}
OPTIMIZERS = ("sgd", "momentum", "adam")


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
        interrupted: True when Ctrl-C ended the run early (the model keeps the
            weights it had reached, the history the epochs it finished).
        checkpoints: when ``train`` wrote its checkpoint file: the number of
            epochs finished at each save.
    """

    losses: list[float] = field(default_factory=list)
    parameters: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False
    checkpoints: list[int] = field(default_factory=list)

    def to_csv(self, path: str | Path) -> Path:
        """Write ``epoch,loss[,<parameter>...]`` rows; return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        names = list(self.parameters)
        with path.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["epoch", "loss", *names])
            for epoch, loss in enumerate(self.losses):
                writer.writerow([epoch, repr(loss), *(repr(self.parameters[n][epoch]) for n in names)])
        return path


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


def _check_finite(inputs: list, targets: list) -> None:
    """A NaN or infinity in the data would only show up later as a NaN grad; name it now."""
    for i, (row, target) in enumerate(zip(inputs, targets)):
        if isinstance(row, (numbers.Real, Value)) or not hasattr(row, "__len__"):
            row = [row]  # a 1-input sample; anything else the model itself refuses
        for k, x in enumerate(row):
            x = x.data if isinstance(x, Value) else x
            if isinstance(x, numbers.Real) and not math.isfinite(x):
                raise ValueError(
                    f"train: inputs[{i}][{k}] is {float(x)!r}; every input must be a finite "
                    "number (drop or fill in that sample)"
                )
        y = target.data if isinstance(target, Value) else target
        if isinstance(y, numbers.Real) and not math.isfinite(y):
            raise ValueError(
                f"train: targets[{i}] is {float(y)!r}; every target must be a finite number "
                "(drop or fix that sample)"
            )


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
) -> History:
    """Train ``model`` on (inputs, targets); return the :class:`History`.

    Args:
        model: a Module whose call maps one input to one prediction (a Value).
        inputs, targets: the data set, one row and one target per sample.
        loss: a key of :data:`LOSSES`.
        optimizer: "sgd", "momentum" or "adam", with learning rate ``lr``.
        epochs: passes over the data.
        batch: "full" (one step per epoch), or a batch size N (1 = per-sample
            SGD, as document 001).
        shuffle: shuffle the samples each epoch (mini-batches only), from ``seed``.
        l2: weight of an L2 penalty ``l2 * sum(p**2)`` (micrograd's demo uses 1e-4).
        track_parameters: record every parameter after each epoch.
        progress: show a tqdm bar (epoch, loss, speed); None = only on a terminal.
        on_epoch: called as ``on_epoch(epoch, loss)`` after each epoch.
        checkpoint: a file to save the model to (an MLP; JSON, written
            atomically by :meth:`MLP.save`, so the file is always whole):
            every ``checkpoint_every`` epochs, and when the run ends,
            finished or interrupted. ``micrograd_nn.serialize.load`` reads it.
        checkpoint_every: save every N epochs (None: only at the end).
        detect_anomaly: run inside :func:`micrograd_nn.detect_anomaly`, so
            the first NaN or infinity raises ``FloatingPointError`` naming the
            op (slower; off by default).

    Ctrl-C ends the run cleanly: the model keeps the weights it reached, the
    history the epochs it finished (``history.interrupted`` is True), and the
    checkpoint, when one was asked for, is saved before returning.

    Raises:
        TypeError, ValueError: a bad argument, or inputs or targets that are
            not finite numbers (the message names the sample).
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
        raise ValueError(f"train: {len(inputs)} inputs but {len(targets)} targets; pass one target per sample")
    if not inputs:
        raise ValueError("train: no samples; pass at least one input and target")
    loss_fn = LOSSES[_checks.choice(loss, LOSSES, "loss")]
    epochs = _checks.positive_int(epochs, "epochs")
    if batch != "full":
        batch = _checks.positive_int(batch, 'batch (a size, or "full")')
    l2 = _checks.number_in(l2, "l2", 0.0, math.inf, low_open=False, high_open=True)
    _check_finite(inputs, targets)
    if on_epoch is not None and not callable(on_epoch):
        raise TypeError(f"train: on_epoch must be a function (epoch, loss), got {type(on_epoch).__name__}")
    if checkpoint_every is not None:
        checkpoint_every = _checks.positive_int(checkpoint_every, "checkpoint_every")
        if checkpoint is None:
            raise ValueError("train: checkpoint_every needs a checkpoint file; pass checkpoint='model.json'")
    if checkpoint is not None:
        if not isinstance(checkpoint, (str, Path)):
            raise TypeError(
                f"train: checkpoint must be a file path (str or Path), got {type(checkpoint).__name__}"
            )
        if not isinstance(model, MLP):
            raise TypeError(f"train: checkpoints save an MLP, got {type(model).__name__}")
    _checks.boolean(detect_anomaly, "detect_anomaly")
    params = model.parameters()
    opt = make_optimizer(optimizer, params, lr)
    rng = None
    if shuffle:
        rng = _checks.rng(seed, "train: seed")
    if progress is None:
        progress = sys.stderr.isatty()

    from tqdm import tqdm  # lazily: only training needs it (plain tqdm: no widget warnings in notebooks)

    import numpy as np

    columns = [np.array(column, dtype=float) for column in zip(*inputs)]  # one per input feature
    targets_array = np.array(targets, dtype=float)
    history = History(parameters={p.label: [] for p in params} if track_parameters else {})
    unsaved = False  # the model has changed since the last checkpoint

    def save_checkpoint() -> None:
        nonlocal unsaved
        model.save(checkpoint)
        history.checkpoints.append(len(history.losses))
        unsaved = False

    start = time.perf_counter()
    bar = tqdm(range(epochs), desc="training", unit="epoch", disable=not progress, leave=False)
    try:
        with anomaly.detect_anomaly() if detect_anomaly else contextlib.nullcontext():
            for epoch in bar:
                batch_losses = []
                for indices in _batches(len(inputs), batch, rng):
                    value = loss_fn(_forward(model, inputs, columns, indices), targets_array[indices])
                    if l2:
                        value = value + l2 * Value.sum([p * p for p in params])
                    opt.zero_grad()
                    value.backward()
                    opt.step()
                    unsaved = True
                    batch_losses.append(value.data)
                history.losses.append(sum(batch_losses) / len(batch_losses))
                for p in params if track_parameters else ():
                    history.parameters[p.label].append(p.data)
                bar.set_postfix(loss=f"{history.losses[-1]:.4g}", refresh=False)
                if checkpoint_every is not None and (epoch + 1) % checkpoint_every == 0:
                    save_checkpoint()
                if on_epoch is not None:
                    on_epoch(epoch, history.losses[-1])
    except KeyboardInterrupt:
        history.interrupted = True
    finally:
        bar.close()
        history.seconds = time.perf_counter() - start
    if checkpoint is not None and (unsaved or not history.checkpoints):
        save_checkpoint()
    return history
