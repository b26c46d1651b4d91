"""Benchmark 1: micrograd's own demo step, micrograd 0.1.0 against micrograd_nn.

The step is micrograd's ``demo.ipynb``: an ``MLP(2, [16, 16, 1])`` (ReLU
hidden layers, linear output), 100 two-moons samples (noise 0.1, labels -1/+1),
the hinge loss ``mean(relu(1 - y * score))`` plus ``1e-4 * sum(p * p)``,
then ``zero_grad``, ``backward`` and the SGD update ``p -= lr * p.grad`` with
the demo's schedule ``lr = 1 - 0.9 * k / 100``.

Both engines start from the same weights (micrograd's are overwritten with
micrograd_nn's, seed 0) and step the same data the same number of times; the
loss of every step must agree to 1e-9 (relative) on both sides, or the run
stops with an error. The figure is the median time of a step.

Target: micrograd_nn at least 10x faster. The scalar path is the fair
comparison (one scalar graph per sample, as micrograd builds it), timed as the
demo runs, with Python's garbage collector on. Two more rows, without a
target: the same step with batched Values (one graph for the 100 samples), and
the scalar step with the collector paused on both sides.
"""
from __future__ import annotations

import math

from micrograd_nn import MLP, SGD, Value, hinge
from micrograd_nn.datasets import make_moons

from .common import Result, fmt_seconds, interleaved

SIZES = [16, 16, 1]
N_SAMPLES = 100
ALPHA = 1e-4
STEPS = 5


def data():
    """The demo's data: 100 moons, noise 0.1, labels -1/+1 (numpy arrays)."""
    X, y = make_moons(N_SAMPLES, noise=0.1, seed=0)
    return X, (2 * y - 1).astype(float)


def micrograd_model(weights: list[float]):
    """micrograd's MLP with these weights, in micrograd_nn's parameter order (w..., b per neuron)."""
    from micrograd import nn as mg_nn

    model = mg_nn.MLP(2, list(SIZES))  # draws from the random module, then overwritten
    params = model.parameters()
    assert len(params) == len(weights)
    for p, w in zip(params, weights):
        p.data = w
    return model


def micrograd_stepper(model, X, y):
    """A function doing one step of micrograd's demo, returning the step's loss."""
    from micrograd.engine import Value as MGValue

    rows, labels = X.tolist(), y.tolist()
    k = [0]

    def step() -> float:
        # micrograd's demo.ipynb, loss() and the optimization loop, as written there
        inputs = [list(map(MGValue, xrow)) for xrow in rows]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k[0] / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        k[0] += 1
        return total_loss.data

    return step


def ours_stepper(model: MLP, X, y, batched: bool):
    """One step of the same demo with micrograd_nn: scalar graphs, or one batched graph."""
    params = model.parameters()
    optimizer = SGD(params, lr=1.0)
    if batched:
        inputs = [Value.batch(X[:, 0]), Value.batch(X[:, 1])]
        targets = y
    else:
        inputs, targets = X.tolist(), y.tolist()
    k = [0]

    def step() -> float:
        scores = model(inputs) if batched else [model(x) for x in inputs]
        loss = hinge(scores, targets) + ALPHA * Value.sum([p * p for p in params])
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = 1.0 - 0.9 * k[0] / 100
        optimizer.step()
        k[0] += 1
        return loss.data

    return step


def run(steps: int = STEPS) -> list[Result]:
    X, y = data()
    ours = MLP(2, SIZES, seed=0)
    weights = [p.data for p in ours.parameters()]
    theirs = micrograd_model(weights)
    batched = MLP(2, SIZES, seed=0)
    steppers = {
        "micrograd": micrograd_stepper(theirs, X, y),
        "ours": ours_stepper(ours, X, y, batched=False),
        "batched": ours_stepper(batched, X, y, batched=True),
    }
    losses: dict[str, list[float]] = {name: [] for name in steppers}
    runs = {name: (lambda name=name, s=s: losses[name].append(s())) for name, s in steppers.items()}
    times = interleaved(runs, steps)  # the collector on, as in the demo notebook or any script
    paused = interleaved({name: runs[name] for name in ("micrograd", "ours")}, steps, collect=False)
    for name in ("ours", "batched"):
        for k, (a, b) in enumerate(zip(losses["micrograd"], losses[name])):
            if not math.isclose(a, b, rel_tol=1e-9):
                raise AssertionError(f"step {k}: micrograd's loss {a!r}, micrograd_nn's ({name}) {b!r}")
    t_mg, t_ours, t_batched = times["micrograd"], times["ours"], times["batched"]
    p_mg, p_ours = paused["micrograd"], paused["ours"]
    return [
        Result(
            "1. micrograd demo step",
            fmt_seconds(t_mg), fmt_seconds(t_ours), t_mg / t_ours, f"{t_mg / t_ours:.1f}x faster",
            ">= 10x", t_mg / t_ours >= 10,
            f"MLP(2, [16, 16, 1]), 100 moons, hinge + 1e-4 L2, forward + backward + SGD, one "
            f"scalar graph per sample as in micrograd; median of {steps} steps each, the losses "
            f"agree to 1e-9 at every step",
        ),
        Result(
            "1b. same, batched Values",
            fmt_seconds(t_mg), fmt_seconds(t_batched), t_mg / t_batched,
            f"{t_mg / t_batched:.0f}x faster", "-", None,
            "one graph for the 100 samples: model([Value.batch(X[:, 0]), Value.batch(X[:, 1])])",
        ),
        Result(
            "1c. same as 1, gc paused",
            fmt_seconds(p_mg), fmt_seconds(p_ours), p_mg / p_ours, f"{p_mg / p_ours:.1f}x faster",
            "-", None,
            "the garbage collector paused on both sides (as timeit does): micrograd's closures "
            "make reference cycles that the collector must find; micrograd_nn's nodes make none",
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
