"""A learner's backprop of document 000's network, checked against autograd.

Document 000 ("Implementing Neuron Network from scratch in Python") trains
``layer_dims = [2, 4, 4, 1]`` (ReLU, ReLU, sigmoid) on two moons with the mean
binary cross-entropy. Below is a backprop of it as a learner might write it,
with two slips: the derivation's ``da/dz = g'(z) * z`` (the document's own
erratum: it is ``g'(z)``) in the second layer, and a ``db1`` left unsummed
over the samples. ``check_backprop`` compares every entry with the Value
engine's gradients on the same numbers and names what is wrong; the slips are
then fixed one at a time until every row is right.

The file is also a homework as ``micrograd-nn check`` takes one: it names its
network (``NETWORK = "doc000"``) and defines ``grads(parameters, X, Y)``, so
``micrograd-nn check demos/check_backprop.py`` checks the slips on document
000's own data and initial weights.

Run:  python demos/check_backprop.py [--fast] [--out DIR] [--seed N]
(--fast: 200 samples instead of the document's 1000; nothing is written to DIR.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from micrograd_nn import check_backprop
from micrograd_nn.datasets import make_moons

ACTIVATIONS = ["relu", "relu", "sigmoid"]
#: ``micrograd-nn check demos/check_backprop.py`` checks :func:`grads` on this network.
NETWORK = "doc000"


def setup(n_samples: int, seed: int):
    """Two moons (noise 0.05), X (2, m) and Y (1, m), then document 000's N(0, 1) weights and
    zero biases, from one seeded generator."""
    rng = np.random.default_rng(seed)
    features, labels = make_moons(n_samples, noise=0.05, seed=rng)
    parameters = {}
    sizes = [2, 4, 4, 1]
    for l in range(1, len(sizes)):
        parameters[f"W{l}"] = rng.standard_normal((sizes[l], sizes[l - 1]))
        parameters[f"b{l}"] = np.zeros((sizes[l], 1))
    return parameters, features.T.copy(), labels.reshape(1, -1).astype(float)


def learner_backprop(parameters, X, Y, slips=("g'(z) * z", "db1 not summed")):
    """The learner's gradients of J = -(1/m) sum(Y log(A3) + (1 - Y) log(1 - A3)).

    ``slips`` says which of the two mistakes are still in the code.
    """
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    A3 = 1 / (1 + np.exp(-(W3 @ A2 + b3)))

    dZ3 = A3 - Y  # sigmoid + binary cross-entropy, summed over the samples
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dZ2 = (W3.T @ dZ3) * (Z2 > 0)
    if "g'(z) * z" in slips:
        dZ2 = dZ2 * Z2  # as the document's derivation writes da/dz
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = (W2.T @ dZ2) * (Z1 > 0)
    dW1 = dZ1 @ X.T / m
    db1 = dZ1 / m if "db1 not summed" in slips else np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


def grads(parameters, X, Y):
    """The learner's backprop with both slips: what ``micrograd-nn check`` runs on this file."""
    return learner_backprop(parameters, X, Y)


def main(
    fast: bool = False, out_dir: str | Path = "out/demos/check_backprop", seed: int | None = None
):
    """Check the learner's backprop with both slips, with one, and with none; return the reports."""
    seed = 4 if seed is None else seed  # document 000's reference module's seed
    n_samples = 200 if fast else 1000
    parameters, X, Y = setup(n_samples, seed)
    reports = {}
    for title, slips in (
        ("the learner's backprop, two slips", ("g'(z) * z", "db1 not summed")),
        ("g'(z) fixed", ("db1 not summed",)),
        ("db1 summed too", ()),
    ):
        report = check_backprop(
            lambda p, x, y: learner_backprop(p, x, y, slips),
            parameters, X, Y, activations=ACTIVATIONS, loss="bce",
        )
        print(f"{title} (document 000's network, {n_samples} moons, seed {seed}):")
        print(report)
        print("")
        reports[title] = report
    return reports


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="200 samples instead of 1000")
    parser.add_argument(
        "--out", default="out/demos/check_backprop", help="unused: the demo writes no files"
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="seed for the data and weights (default: 4)"
    )
    args = parser.parse_args()
    main(fast=args.fast, out_dir=args.out, seed=args.seed)
