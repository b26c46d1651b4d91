"""The walk-through (``make demo``, ``micrograd-nn``): document 001's 2-2-1 network end to end.

1. Feedforward with every neuron at w = [0, 1], b = 0 and x = [2, 3]; the
   document prints 0.7216325609518421.
2. The document's ``mse_loss([1, 0, 0, 1], [0, 0, 0, 0]) = 0.5``.
3. One SGD step on Alice: the document's chain-rule factors beside autograd.
4. The graph of Alice's loss, drawn with Graphviz (``out/alice_loss.svg``).
5. Training on the four people with per-sample SGD (lr 0.1, 1000 epochs),
   weights drawn from N(0, 1) as in the document, but from a seed.
6. Predictions for Emily and Frank (the document: 0.951 F, 0.039 M).
7. Figures of the training run (``out/``): the loss curve, the decision
   boundary with Emily and Frank, and w1..w6, b1..b3 over the epochs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..datasets import EMILY, FRANK, four_people
from .._words import plural
from ..losses import mse
from . import networks
from .networks import loss_graph
from .training import EPOCH_LOSS
from ..nn import MLP
from .doc001 import SEED as DEFAULT_SEED
from ..train import train

__all__ = ["DOCUMENT_FEEDFORWARD", "feedforward_check", "network_2_2_1", "run", "train_people"]

#: Document 001's printed feedforward for w = [0, 1], b = 0, x = [2, 3].
DOCUMENT_FEEDFORWARD = 0.7216325609518421


def network_2_2_1(seed=DEFAULT_SEED) -> MLP:
    """Document 001's network: 2 inputs, hidden h1 and h2, output o1, all sigmoid,
    labelled w1..w6, b1..b3, with the reference's initial weights for ``seed``
    (w1..w6 then b1..b3 drawn from N(0, 1), as the document draws them)."""
    return networks.get("doc001").model(seed)


def feedforward_check() -> float:
    """o1 for x = [2, 3] when every neuron has w = [0, 1] and b = 0."""
    model = network_2_2_1(seed=0)
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.0, 1.0, 0.0
    return model([2, 3]).data


def train_people(
    seed=DEFAULT_SEED,
    epochs: int = 1000,
    lr: float = 0.1,
    report_every: int = 100,
    echo: Callable[[str], None] = print,
) -> tuple[MLP, list[float], dict[str, list[float]]]:
    """Train the 2-2-1 network on the four people, one sample at a time.

    ``train(..., batch=1)`` is the document's loop: for each person in turn,
    L = (y_true - o1)**2, backward, ``p -= lr * p.grad``. Each epoch's loss is
    the one ``micrograd-nn train doc001`` reports (:data:`.training.EPOCH_LOSS`):
    the mean of its four per-sample losses, each taken before its step. (The
    document prints the MSE over the data set after every 10th epoch instead,
    a little lower; ``demos/doc001_people.py`` draws both.)

    Returns:
        (model, each epoch's loss, the trajectories
        {"w1": [initial value, after epoch 1, ...], ..., "b3": [...]}).
    """
    model = network_2_2_1(seed)
    inputs, targets, _ = four_people()
    initial = {p.label: p.data for p in model.parameters()}
    losses = []

    def report(epoch: int, loss: float) -> None:
        losses.append(loss)
        if report_every and (epoch % report_every == 0 or epoch == epochs - 1):
            echo(f"  epoch {epoch:4d}  loss {loss:.4f}")

    history = train(model, inputs, targets, loss="mse", optimizer="sgd", lr=lr, epochs=epochs,
                    batch=1, track_parameters=True, progress=False, on_epoch=report)
    if history.interrupted:  # Ctrl-C: stop the walk-through, as before
        raise KeyboardInterrupt
    trajectories = {label: [initial[label], *after] for label, after in history.parameters.items()}
    return model, losses, trajectories


def _figures(model: MLP, losses: list[float], trajectories: dict, out_dir: Path,
             echo: Callable[[str], None]) -> list[Path]:
    """The run's loss curve, decision boundary (Emily, Frank marked) and trajectories, as PNGs."""
    from .. import plots

    inputs, targets, _ = four_people()
    network = networks.get("doc001")
    marks = {f"{name} {model(x).data:.2f}": x for name, x in (("Emily", EMILY), ("Frank", FRANK))}
    xlabel, ylabel = network.feature_names
    plots.loss_curves({EPOCH_LOSS: losses}, out_dir / "loss.png",
                      title="The 2-2-1 network learning", xlabel="epoch",
                      ylabel="squared error")
    plots.decision_boundary(model, inputs, targets, out_dir / "boundary.png", marks=marks,
                            title="Where the trained network says F and M",
                            xlabel=xlabel, ylabel=ylabel, class_names=network.class_names)
    plots.parameter_trajectories(trajectories, out_dir / "parameters.png",
                                 title="w1..w6 and b1..b3 during training")
    written = {
        "loss.png": f"each epoch's loss ({EPOCH_LOSS})",
        "boundary.png": "the decision boundary, Emily and Frank marked",
        "parameters.png": "w1..w6 and b1..b3 after each epoch",
    }
    for name, what in written.items():
        echo(f"   {out_dir / name}: {what}")
    return [out_dir / name for name in written]


def _graph_step(seed, out_dir: Path, echo: Callable[[str], None]) -> Path | None:
    """Draw Alice's loss graph at the initial weights as an SVG; None when dot is missing."""
    from ..draw import GraphvizNotFoundError, save

    loss = loss_graph("doc001", sample="Alice", seed=seed)
    loss.backward()
    try:
        path = save(loss, out_dir / "alice_loss.svg", rankdir="TB")
    except GraphvizNotFoundError as error:
        echo(f"   (not drawn: {error})")
        return None
    echo(f"   written to {path}: every value with its grad, every edge with its local derivative")
    return path


def run(
    seed=DEFAULT_SEED,
    epochs: int = 1000,
    echo: Callable[[str], None] = print,
    out_dir: str | Path | None = "out",
) -> dict:
    """Print the walk-through; return its numbers (for tests and notebooks).

    Args:
        out_dir: where the pictures go (None: draw nothing).
    """
    from .derive import sgd_step_text

    echo("micrograd_nn walk-through: document 001's 2-2-1 network")
    echo("  h1 = sigmoid(w1*x[0] + w2*x[1] + b1), h2 = sigmoid(w3*x[0] + w4*x[1] + b2)")
    echo("  o1 = sigmoid(w5*h1 + w6*h2 + b3)")
    echo("")
    o1 = feedforward_check()
    verdict = "matches" if o1 == DOCUMENT_FEEDFORWARD else "DIFFERS from"
    echo("1. Feedforward, every neuron w = [0, 1], b = 0, x = [2, 3]:")
    echo(f"   o1 = {o1!r}  ({verdict} the document's {DOCUMENT_FEEDFORWARD!r})")
    loss = mse([0, 0, 0, 0], [1, 0, 0, 1]).data
    echo(f"2. mse_loss([1, 0, 0, 1], [0, 0, 0, 0]) = {loss!r}  (the document: 0.5)")
    echo("")
    echo(f"3. One SGD step on Alice, weights from seed {seed}: the document's chain rule beside autograd")
    echo(sgd_step_text(network_2_2_1(seed), sample="Alice"))
    graph = None
    if out_dir is not None:
        echo("")
        echo("4. The graph of Alice's loss L = (y_true - o1)**2 at these weights:")
        graph = _graph_step(seed, Path(out_dir), echo)
    echo("")
    echo(f"5. Training on Alice, Bob, Charlie, Diana: per-sample SGD, lr 0.1, "
         f"{plural(epochs, 'epoch')}, seed {seed}")
    echo(f"   loss: the {EPOCH_LOSS}, as micrograd-nn train doc001 reports it")
    model, history, trajectories = train_people(seed=seed, epochs=epochs, echo=echo)
    echo("")
    echo("6. Predictions (1 = female, 0 = male):")
    predictions = {}
    for name, x, document in (("Emily", EMILY, "0.951 F"), ("Frank", FRANK, "0.039 M")):
        p = model(x).data
        predictions[name] = p
        echo(f"   {name:6s} {x!s:13s} {p:.3f} {'F' if p > 0.5 else 'M'}   (the document: {document})")
    figures = []
    if out_dir is not None:
        echo("")
        echo("7. Figures of the training run:")
        figures = _figures(model, history, trajectories, Path(out_dir), echo)
    return {
        "feedforward": o1,
        "mse_example": loss,
        "history": history,
        "parameters": trajectories,
        "predictions": predictions,
        "model": model,
        "graph": graph,
        "figures": figures,
    }
