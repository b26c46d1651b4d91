"""Training a document's network end to end: what ``micrograd-nn train NAME`` does.

:func:`train_network` takes a network of the registry (:mod:`.networks`), trains it with
:func:`micrograd_nn.train.train` from its document's initial weights, data, loss and
learning rate, and writes the model, the loss history and the figures. What it reports
goes through ``echo`` (``print`` by default), so the command line and a notebook show
the same lines.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Callable

from .. import _checks, plots
from .._words import plural
from ..nn import INITS, MLP
from ..serialize import load_checkpoint
from ..train import OPTIMIZERS, History, optimizer_name, train
from . import networks

__all__ = ["ADAM_LR", "EPOCH_LOSS", "default_lr", "train_network"]

#: What "the loss of an epoch" means wherever a run is reported (``micrograd-nn train``,
#: the walk-through, history.csv, the loss figures): ``History.losses``, the mean of the
#: losses of the epoch's steps, each computed at the weights it stepped from (full batch:
#: the one loss, before the epoch's step).
EPOCH_LOSS = "mean loss over the epoch's steps"

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
        cause = _first_clause(str(error))
        raise ValueError(
            f"training {network.name} with {options['optimizer']} at lr {options['lr']:g} diverged "
            f"in epoch {len(finished)} ({cause}); try a smaller --lr"
        ) from None


def _first_clause(message: str) -> str:
    """``message`` up to its first ';' outside parentheses (the fix it suggests follows that
    one): "x (a; b), y; try z" -> "x (a; b), y", its parentheses still in pairs."""
    depth = 0
    for i, char in enumerate(message):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0:
            return message[:i]
    return message


def train_network(
    name: str,
    *,
    epochs: int | None = None,
    lr: float | None = None,
    seed: int | None = None,
    optimizer: str | None = None,
    batch: str | int | None = None,
    out: str | Path | None = None,
    fmt: str = "png",
    compare_optimizers: bool = False,
    progress: bool | None = None,
    resume: str | Path | None = None,
    checkpoint_every: int | None = None,
    init: str | None = None,
    echo: Callable[[str], None] = print,
) -> dict:
    """``micrograd-nn train NAME``: train a registry network, print the result, write the files.

    Args:
        name: a key of :data:`micrograd_nn.networks.TRAINABLE` (``micrograd-nn list``).
        epochs, lr, seed, batch: None for the network's own (see
            :class:`~micrograd_nn.networks.Network`; ``lr`` from :func:`default_lr`).
        optimizer: "sgd", "momentum" (0.9) or "adam"; None: the ``resume``
            checkpoint's, else "sgd".
        out: the folder for the files (default ``out/NAME``); fmt: "png", "svg" or "pdf".
        compare_optimizers: also train with the two other optimizers from the
            same initial weights, each at ``lr`` or its own default, and draw the
            three loss curves.
        resume: a model saved by :meth:`MLP.save` (``model.json`` of an earlier
            run) to start from instead of the document's initial weights; it must
            have the network's architecture. A checkpoint (what this function
            writes) also brings back the optimizer's state and the epoch count, so
            the run goes on bit for bit (``batch`` and ``lr``, when None, are the
            checkpoint's), and ``out``'s history.csv, if it holds the earlier
            epochs, is continued (epochs numbered on); a plain model file resumes
            as weights only.
        checkpoint_every: also save ``model.json`` every N epochs (it is always
            saved when training ends, finished or interrupted).
        init: None for the document's initial weights; else a key of
            :data:`micrograd_nn.nn.INITS` ("he", "xavier", ...): every weight matrix
            is drawn with that scheme from ``seed`` instead (the biases stay the
            document's). Document 002's own ``0.01 * randn`` learns only the base
            rate; ``init="he"`` learns.

    Returns:
        {"model", "history", "accuracy", "files": [paths written], "optimizers":
        {optimizer: losses}} (the last empty unless compare_optimizers).
    """
    network = networks.get(name, include_micrograd=True)
    if optimizer is not None:
        _checks.choice(optimizer, OPTIMIZERS, "optimizer")
    _checks.choice(fmt, plots.FORMATS, "figure format")
    seed = network.default_seed if seed is None else seed
    epochs = network.default_epochs if epochs is None else _checks.positive_int(epochs, "epochs")
    asked_batch = batch
    batch = network.default_batch if batch is None else batch
    if batch != "full":
        batch = _checks.positive_int(batch, 'batch (a size, or "full")')
    if lr is not None:
        lr = _checks.number_in(lr, "lr", 0.0, math.inf, low_open=True, high_open=True)
    out = Path("out") / network.name if out is None else Path(out)
    inputs, targets, names = network.data(seed)
    if init is not None and resume is not None:
        raise ValueError("--init and --resume both choose the initial weights; pass one of them")
    model = network.model(seed) if init is None else _initialized(network, seed, init)
    training = None
    if resume is not None:
        model, training = _resumed(model, resume)
    if training is not None:
        saved = optimizer_name(training["optimizer"])
        if optimizer is not None and optimizer != saved:
            raise ValueError(
                f"--resume {resume}: the checkpoint was trained with {saved}, not {optimizer}; "
                f"pass --optimizer {saved} (or leave it out) to go on with its state"
            )
        optimizer = saved
        # What the options leave out goes on as the checkpoint's run had it (bit for bit).
        if asked_batch is None and "batch" in training:
            batch = training["batch"]
        if lr is None:
            lr = training["optimizer"]["lr"]
    optimizer = "sgd" if optimizer is None else optimizer
    # Only now, with something to write: a failed --resume leaves no empty folder behind,
    # and a bad folder still fails before training.
    _checks.make_folder(out, "train --out")
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
    if training is not None:
        start = f"the checkpoint {resume} (epoch {training['epoch']}, with the optimizer's state)"
    if init is not None:
        start += f", {init} init ({INITS[init]})"
    echo(f"training {plural(epochs, 'epoch')} on {plural(len(inputs), 'sample')}: {optimizer}, "
         f"lr {options(optimizer)['lr']:g}, {batching}, {loss_name}, {start}")
    history = _fit(network, model, inputs, targets, track_parameters=network.track_parameters,
                   checkpoint=out / "model.json", checkpoint_every=checkpoint_every,
                   history_file=out / "history.csv", resume=training, **options(optimizer))
    done = len(history.losses)
    if history.interrupted:
        by = f" by {history.signal}" if history.signal not in (None, "SIGINT") else ""
        echo(f"interrupted{by} after {done} of {plural(epochs, 'epoch')}; writing what was trained")
    if done:
        first = history.first_epoch
        echo(f"{EPOCH_LOSS}: {history.losses[0]:.4g} (epoch {first}) -> {history.losses[-1]:.4g} "
             f"(epoch {first + done - 1}) in {history.seconds:.1f} s "
             f"({done / max(history.seconds, 1e-9):,.0f} epochs/s)")

    outputs = [model(x).data for x in inputs]
    threshold = network.threshold
    right = sum((p > threshold) == (t > threshold) for p, t in zip(outputs, targets))
    accuracy = right / len(inputs)
    echo(f"accuracy {accuracy:.3f} ({right} of {plural(len(inputs), 'sample')} on the right side "
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

    files = [out / "model.json", out / "history.csv"]  # train() wrote both (history.csv continued)
    if done:
        files.append(plots.save(plots.loss_curves(
            {f"{_OPTIMIZER_NAMES[optimizer]}, lr {options(optimizer)['lr']:g}": history.losses},
            title=f"{network.name}: training loss", ylabel=loss_name,
            xlabel=f"epoch (loss: the {EPOCH_LOSS})",
        ), out / f"loss.{fmt}"))
    if model.nin == 2:
        xlabel, ylabel = network.feature_names or ("x[0]", "x[1]")
        files.append(plots.save(plots.decision_boundary(
            model, inputs, targets, threshold=threshold, marks=marks,
            title=f"{network.name} after {plural(done, 'epoch')}: accuracy {accuracy:.0%}",
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
                    echo(f"interrupted after {plural(len(run.losses), 'epoch')} of {other}")
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


def _initialized(network, seed, init: str) -> MLP:
    """The network with the document's biases and every ``W`` drawn with ``init`` from ``seed``."""
    _checks.choice(init, INITS, "init")
    parameters = network.setup(seed)[0]
    weights = [parameters[f"W{l}"] for l in range(1, sum(k.startswith("W") for k in parameters) + 1)]
    fresh = MLP(weights[0].shape[1], [w.shape[0] for w in weights], activation=network.reference.ACTIVATIONS,
                bias="b1" in parameters, seed=seed, init=init).to_parameters()
    return network.model_from({key: fresh[key] if key.startswith("W") else value
                               for key, value in parameters.items()})


def _resumed(model: MLP, path: str | Path) -> tuple[MLP, dict | None]:
    """The model saved at ``path``, checked to be the same network as ``model``, and its
    training state (None for a plain model file)."""
    saved, training = load_checkpoint(path)
    if [label for label, _ in saved.named_parameters()] != [label for label, _ in model.named_parameters()] \
            or [layer.activation for layer in saved.layers] != [layer.activation for layer in model.layers]:
        raise ValueError(
            f"--resume {path}: the saved model is {saved!r}, not this network ({model!r}); "
            "resume from the model.json a run of this network wrote"
        )
    return saved, training


def _curves_csv(curves: dict[str, list[float]], path: Path) -> Path:
    """``epoch,<name>...`` rows, one column per curve (empty where a curve ended early)."""
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", *curves])
        for epoch in range(max(len(c) for c in curves.values())):
            cells = (repr(c[epoch]) if epoch < len(c) else "" for c in curves.values())
            writer.writerow([epoch, *cells])
    return path
