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

import csv
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from . import _checks
from .engine import Value
from .losses import binary_cross_entropy, hinge, mse, sse
from .nn import Module
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
    """

    losses: list[float] = field(default_factory=list)
    parameters: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False

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


def _batches(n: int, batch: str | int, rng) -> list[list[int]]:
    if batch == "full":
        return [list(range(n))]
    order = list(range(n)) if rng is None else [int(i) for i in rng.permutation(n)]
    return [order[i : i + batch] for i in range(0, n, batch)]


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
    """
    if not isinstance(model, Module):
        raise TypeError(f"train: model must be a Module (Neuron, Layer, MLP), got {type(model).__name__}")
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
    params = model.parameters()
    opt = make_optimizer(optimizer, params, lr)
    rng = None
    if shuffle:
        import numpy as np

        rng = np.random.default_rng(seed)
    if progress is None:
        progress = sys.stderr.isatty()

    from tqdm.auto import tqdm  # lazily: only training needs it

    history = History(parameters={p.label: [] for p in params} if track_parameters else {})
    start = time.perf_counter()
    bar = tqdm(range(epochs), desc="training", unit="epoch", disable=not progress, leave=False)
    try:
        for epoch in bar:
            batch_losses = []
            for indices in _batches(len(inputs), batch, rng):
                value = loss_fn([model(inputs[i]) for i in indices], [targets[i] for i in indices])
                if l2:
                    value = value + l2 * Value.sum([p * p for p in params])
                opt.zero_grad()
                value.backward()
                opt.step()
                batch_losses.append(value.data)
            history.losses.append(sum(batch_losses) / len(batch_losses))
            for p in params if track_parameters else ():
                history.parameters[p.label].append(p.data)
            bar.set_postfix(loss=f"{history.losses[-1]:.4g}", refresh=False)
            if on_epoch is not None:
                on_epoch(epoch, history.losses[-1])
    except KeyboardInterrupt:
        history.interrupted = True
    finally:
        bar.close()
        history.seconds = time.perf_counter() - start
    return history
