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


# ------------------------------------------------- `micrograd-nn train` (see cli.py)

HELP = "train a document's network (or micrograd's moons demo); write its loss history and figures"
DESCRIPTION = (
    "Trains one network of `micrograd-nn list` with the Value engine, from its document's\n"
    "initial weights, data, loss and learning rate (change them with the options), prints\n"
    "the loss and the accuracy, and writes to --out (default: out/NAME):\n"
    "  model.json      the trained model (micrograd_nn.load reads it; --resume starts from it)\n"
    "  history.csv     the loss after each epoch (doc001: and w1..w6, b1..b3)\n"
    "  loss.png        the loss curve\n"
    "  boundary.png    the decision regions over the data (2-input networks; doc001 marks\n"
    "                  Emily and Frank)\n"
    "  parameters.png  w1..w6 and b1..b3 over training (doc001)\n"
    "  optimizers.png  SGD, momentum and Adam from the same weights (--compare-optimizers,\n"
    "                  with optimizers.csv)\n"
    "\n"
    "By default every network runs its document's whole run (doc000: 10,000 iterations over\n"
    "1000 samples), in seconds: full and mini-batches run as batched Values, one graph for\n"
    "the whole batch; --batch 1 is per-sample SGD. --epochs sets the length.\n"
    "A progress bar shows on a terminal (not with --quiet);\n"
    "Ctrl-C stops early and still writes what was trained."
)
EXAMPLE = "micrograd-nn train doc003 --optimizer adam --epochs 500 --compare-optimizers"

#: Adam's learning rate when none is given: the documents' rates are meant for plain
#: gradient descent (Adam at doc004b's 5.0 would throw the weights about).
ADAM_LR = 0.01

_OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD + momentum 0.9", "adam": "Adam"}
_LOSS_NAMES = {
    "mse": "mean squared error",
    "sse": "sum of squared errors",
    "binary_cross_entropy": "binary cross-entropy",
    "hinge": "hinge loss",
}


def default_lr(network, optimizer: str) -> float:
    """The learning rate for ``optimizer``: the document's, or :data:`ADAM_LR` for Adam."""
    return ADAM_LR if optimizer == "adam" else network.reference.LEARNING_RATE


def _fit(network, model, inputs, targets, **options) -> History:
    """train() with the network's loss and L2; a run that blows up: a ValueError saying what to do.

    A step too large sends the weights where the next forward pass fails: a
    non-finite grad (FloatingPointError), exp overflowing (OverflowError), or
    a saturated sigmoid under the log of the cross-entropy (ValueError). After
    the first epoch such an error means the run diverged, not bad input.
    """
    finished = []
    try:
        return train(model, inputs, targets, loss=network.reference.LOSS, l2=network.l2,
                     on_epoch=lambda epoch, loss: finished.append(epoch), **options)
    except (ArithmeticError, ValueError) as error:
        if not finished:
            raise
        cause = str(error).split(";")[0]
        raise ValueError(
            f"training {network.name} with {options['optimizer']} at lr {options['lr']:g} diverged "
            f"in epoch {len(finished)} ({cause}); try a smaller --lr"
        ) from None


def train_network(
    name: str,
    *,
    epochs: int | None = None,
    lr: float | None = None,
    seed: int | None = None,
    optimizer: str = "sgd",
    batch: str | int | None = None,
    out: str | Path | None = None,
    fmt: str = "png",
    compare_optimizers: bool = False,
    progress: bool | None = None,
    resume: str | Path | None = None,
    checkpoint_every: int | None = None,
    echo: Callable[[str], None] = print,
) -> dict:
    """``micrograd-nn train NAME``: train a registry network, print the result, write the files.

    Args:
        name: a key of :data:`micrograd_nn.networks.TRAINABLE` (``micrograd-nn list``).
        epochs, lr, seed, batch: None for the network's own (see
            :class:`~micrograd_nn.networks.Network`; ``lr`` from :func:`default_lr`).
        optimizer: "sgd", "momentum" (0.9) or "adam".
        out: the folder for the files (default ``out/NAME``); fmt: "png", "svg" or "pdf".
        compare_optimizers: also train with the two other optimizers from the
            same initial weights, each at ``lr`` or its own default, and draw the
            three loss curves.
        resume: a model saved by :meth:`MLP.save` (``model.json`` of an earlier
            run) to start from instead of the document's initial weights; it must
            have the network's architecture.
        checkpoint_every: also save ``model.json`` every N epochs (it is always
            saved when training ends, finished or interrupted).

    Returns:
        {"model", "history", "accuracy", "files": [paths written], "optimizers":
        {optimizer: losses}} (the last empty unless compare_optimizers).
    """
    from . import networks, plots

    network = networks.get(name, include_micrograd=True)
    _checks.choice(optimizer, OPTIMIZERS, "optimizer")
    _checks.choice(fmt, plots.FORMATS, "figure format")
    seed = network.default_seed if seed is None else seed
    epochs = network.default_epochs if epochs is None else _checks.positive_int(epochs, "epochs")
    batch = network.default_batch if batch is None else batch
    if batch != "full":
        batch = _checks.positive_int(batch, 'batch (a size, or "full")')
    if lr is not None:
        lr = _checks.number_in(lr, "lr", 0.0, math.inf, low_open=True, high_open=True)
    out = Path("out") / network.name if out is None else Path(out)
    _checks.make_folder(out, "train --out")  # a bad folder fails now, not after training
    inputs, targets, names = network.data(seed)
    model = network.model(seed)
    if resume is not None:
        model = _resumed(model, resume)
    initial = {p.label: p.data for p in model.parameters()}
    loss_name = _LOSS_NAMES[network.reference.LOSS]
    if network.l2:
        loss_name += f" + {network.l2:g} L2"

    def options(opt: str) -> dict:
        return dict(optimizer=opt, lr=default_lr(network, opt) if lr is None else lr, epochs=epochs,
                    batch=batch, progress=progress)

    batching = {"full": "full batch", 1: "per-sample"}.get(batch, f"batches of {batch}")
    echo(f"{network.name}: {network.title} ({network.document})")
    start = f"the weights in {resume}" if resume is not None else f"seed {seed}"
    echo(f"training {epochs} epochs on {len(inputs)} samples: {optimizer}, "
         f"lr {options(optimizer)['lr']:g}, {batching}, {loss_name}, {start}")
    history = _fit(network, model, inputs, targets, track_parameters=network.track_parameters,
                   checkpoint=out / "model.json", checkpoint_every=checkpoint_every,
                   **options(optimizer))
    done = len(history.losses)
    if history.interrupted:
        echo(f"interrupted after {done} of {epochs} epochs; writing what was trained")
    if done:
        echo(f"loss {history.losses[0]:.4g} -> {history.losses[-1]:.4g} in {history.seconds:.1f} s "
             f"({done / max(history.seconds, 1e-9):,.0f} epochs/s)")

    outputs = [model(x).data for x in inputs]
    threshold = network.threshold
    right = sum((p > threshold) == (t > threshold) for p, t in zip(outputs, targets))
    accuracy = right / len(inputs)
    echo(f"accuracy {accuracy:.3f} ({right} of {len(inputs)} samples on the right side "
         f"of {threshold:g})")
    if len(inputs) <= 8:
        width = max(len(n) for n in names)
        for n, x, t, p in zip(names, inputs, targets, outputs):
            echo(f"  {n:<{width}}  {x!s:<16} target {t:g}  output {p:.4f}")
    marks = {}
    for mark, x in network.marks:
        p = model(list(x)).data
        marks[f"{mark} {p:.2f}"] = x
        echo(f"  {mark:<7} {list(x)!s:<16} output {p:.4f}  ({network.class_names[p > threshold]})")

    files = [out / "model.json", history.to_csv(out / "history.csv")]
    if done:
        files.append(plots.save(plots.loss_curves(
            {f"{_OPTIMIZER_NAMES[optimizer]}, lr {options(optimizer)['lr']:g}": history.losses},
            title=f"{network.name}: training loss", ylabel=loss_name,
            xlabel="epoch" if batch == "full" else "epoch (loss: mean over the epoch's batches)",
        ), out / f"loss.{fmt}"))
    if model.nin == 2:
        xlabel, ylabel = network.feature_names or ("x[0]", "x[1]")
        files.append(plots.save(plots.decision_boundary(
            model, inputs, targets, threshold=threshold, marks=marks,
            title=f"{network.name} after {done} epochs: accuracy {accuracy:.0%}",
            xlabel=xlabel, ylabel=ylabel, class_names=network.class_names,
        ), out / f"boundary.{fmt}"))
    if history.parameters and done:
        trajectories = {label: [initial[label], *after]
                        for label, after in history.parameters.items()}
        files.append(plots.save(plots.parameter_trajectories(
            trajectories, title=f"{network.name}: the parameters during training",
        ), out / f"parameters.{fmt}"))

    curves = {}
    if compare_optimizers and done and not history.interrupted:
        curves[optimizer] = history.losses
        for other in OPTIMIZERS:
            if other != optimizer:
                echo(f"comparing: {other}, lr {options(other)['lr']:g}, from the same weights")
                run = _fit(network, network.model(seed), inputs, targets, **options(other))
                if run.interrupted:
                    echo(f"interrupted after {len(run.losses)} epochs of {other}")
                curves[other] = run.losses
        curves = {opt: curves[opt] for opt in OPTIMIZERS if curves[opt]}
        labels = {opt: f"{_OPTIMIZER_NAMES[opt]}, lr {options(opt)['lr']:g}" for opt in curves}
        for opt, losses in curves.items():
            echo(f"  {labels[opt]:<28} loss {losses[0]:.4g} -> {losses[-1]:.4g}")
        files.append(plots.save(plots.loss_curves(
            {labels[opt]: losses for opt, losses in curves.items()},
            title=f"{network.name}: SGD vs momentum vs Adam, same initial weights",
            ylabel=loss_name,
        ), out / f"optimizers.{fmt}"))
        files.append(_curves_csv(curves, out / "optimizers.csv"))
    for path in files:
        echo(f"wrote {path}")
    return {"model": model, "history": history, "accuracy": accuracy, "files": files,
            "optimizers": curves}


def _resumed(model: MLP, path: str | Path) -> MLP:
    """The model saved at ``path``, checked to be the same network as ``model``."""
    from .serialize import load

    saved = load(path)
    if [label for label, _ in saved.named_parameters()] != [label for label, _ in model.named_parameters()] \
            or [layer.activation for layer in saved.layers] != [layer.activation for layer in model.layers]:
        raise ValueError(
            f"--resume {path}: the saved model is {saved!r}, not this network ({model!r}); "
            "resume from the model.json a run of this network wrote"
        )
    return saved


def _curves_csv(curves: dict[str, list[float]], path: Path) -> Path:
    """``epoch,<name>...`` rows, one column per curve (empty where a curve ended early)."""
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", *curves])
        for epoch in range(max(len(c) for c in curves.values())):
            cells = (repr(c[epoch]) if epoch < len(c) else "" for c in curves.values())
            writer.writerow([epoch, *cells])
    return path


def _batch(text: str) -> str | int:
    """argparse type: "full" or a batch size >= 1."""
    import argparse

    if text == "full":
        return text
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f'expected "full" or a batch size >= 1, got {text!r}')
    return value


def add_arguments(parser) -> None:
    from . import networks, plots
    from .cli import positive_int, seed

    parser.add_argument("name", metavar="NAME",
                        help=f"the network: {', '.join(networks.TRAINABLE)} "
                        "(see micrograd-nn list)")
    parser.add_argument("--epochs", type=positive_int,
                        help="passes over the data (default: the document's whole run)")
    parser.add_argument("--lr", type=float,
                        help=f"learning rate (default: the document's; {ADAM_LR:g} for adam)")
    parser.add_argument("--seed", type=seed, help="seed for the data and the initial weights "
                        "(default: the network's own, e.g. 42 for doc001)")
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd",
                        help="sgd (default), momentum (SGD with momentum 0.9) or adam")
    parser.add_argument("--batch", type=_batch, metavar="full|N",
                        help="full (one step per epoch) or N samples per step, 1 = per-sample SGD "
                        "(default: as the document; per-sample for doc001)")
    parser.add_argument("--out", metavar="DIR", help="folder for the files (default: out/NAME)")
    parser.add_argument("--format", choices=plots.FORMATS, default="png",
                        help="figure format (default: png)")
    parser.add_argument("--compare-optimizers", action="store_true",
                        help="also train with the other two optimizers from the same weights; "
                        "write optimizers.png")
    parser.add_argument("--resume", metavar="FILE",
                        help="start from a saved model (the model.json an earlier run wrote) "
                        "instead of the document's initial weights")
    parser.add_argument("--checkpoint-every", type=positive_int, metavar="N",
                        help="also save DIR/model.json every N epochs (it is always saved at "
                        "the end, and on Ctrl-C)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def command(args) -> int:
    """`micrograd-nn train`: 0, or 130 when Ctrl-C cut the training short (files still written)."""
    result = train_network(
        args.name, epochs=args.epochs, lr=args.lr, seed=args.seed, optimizer=args.optimizer,
        batch=args.batch, out=args.out, fmt=args.format, compare_optimizers=args.compare_optimizers,
        progress=False if args.quiet else None, resume=args.resume,
        checkpoint_every=args.checkpoint_every,
    )
    return 130 if result["history"].interrupted else 0
