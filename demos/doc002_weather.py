"""Document 002: a deep network [4, 5, 4, 3, 1] configured by a list of layer dicts, for rain.

The document ("Deep Neural Networks from scratch in Python" by Piotr Babel,
a Medium article) describes its network by
``nn_architecture``, one {"layer_size", "activation"} dict per layer (ReLU,
ReLU, ReLU, sigmoid), to predict rain from weather data, and reports no
numbers from a run: what it gives is Table 2, the shapes of W, b and Z for
every layer. It gives no data either, so micrograd_nn.datasets.weather makes a
seeded synthetic set (200 samples, 4 standardized features).

This script

* builds the network with the Value engine and checks every shape against
  Table 2 (Z is (n, m) for m samples);
* checks the engine's gradients and first iterations against the document's
  hand-coded network (micrograd_nn.documents.compare);
* runs the document's set-up in numpy (0.01 * randn weights, learning rate
  0.0075, 3000 iterations), which only learns the base rate (about 38 % rain),
  and the same network from He initialization, which learns the weather rule.

Run:  python demos/doc002_weather.py [--fast] [--out DIR] [--seed N]
(--fast: the engine runs 3 iterations instead of 100.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from micrograd_nn import Value, plots
from micrograd_nn.documents import networks
from micrograd_nn.documents.compare import compare

#: The document's Table 2: (shape of W, shape of b, shape of Z) for layers 1..4.
DOCUMENT_TABLE = [
    ((5, 4), (5, 1), (5, "m")),
    ((4, 5), (4, 1), (4, "m")),
    ((3, 4), (3, 1), (3, "m")),
    ((1, 3), (1, 1), (1, "m")),
]


def main(
    fast: bool = False, out_dir: str | Path = "out/demos/doc002", seed: int | None = None
) -> dict:
    """Check the document's shapes, gradients and run; print them; return the numbers."""
    network = networks.get("doc002")
    reference = network.reference
    seed = network.default_seed if seed is None else seed
    out_dir = Path(out_dir)
    print(f"Document 002: {network.title}")

    model = network.model(seed)
    inputs, targets, _ = network.data(seed)
    m = len(inputs)
    parameters = model.to_parameters()
    activations = inputs
    print(f"Table 2, the Value engine's network on m = {m} samples beside the document's:")
    print("  layer  W        b        Z         the document's W, b, Z")
    table_matches = True
    for l, (layer, document) in enumerate(zip(model.layers, DOCUMENT_TABLE), start=1):
        outputs = [layer(x) for x in activations]
        activations = [[o] if isinstance(o, Value) else o for o in outputs]
        z_shape = (len(activations[0]), len(activations))
        here = (parameters[f"W{l}"].shape, parameters[f"b{l}"].shape, z_shape)
        same = here[:2] == document[:2] and z_shape == (document[2][0], m)
        table_matches = table_matches and same
        verdict = "same" if same else "DIFFERENT"
        print(
            f"  {l:5d}  {here[0]!s:8} {here[1]!s:8} {str(z_shape):9} "
            f"{document[0]!s:8} {document[1]!s:8} ({document[2][0]}, m)  {verdict}"
        )

    iterations = 3 if fast else 100
    (row,) = compare(["doc002"], seed=seed, iterations=iterations)
    print(
        f"The Value engine beside the document's network, first {iterations} iterations: "
        f"largest gradient difference {row.max_grad_diff:.1e}, "
        f"weight difference {row.max_weight_diff:.1e}: "
        + ("agree" if row.passed else "DISAGREE")
    )

    start, X, Y = network.setup(seed)
    trained, costs = reference.train(start, X, Y)
    accuracy = reference.accuracy(trained, X, Y)
    he_start = reference.initialize_parameters_he(
        reference.nn_architecture, np.random.default_rng(seed)
    )
    he_trained, he_costs = reference.train(he_start, X, Y)
    he_accuracy = reference.accuracy(he_trained, X, Y)
    rain = float(Y.mean())
    print(
        f"The document's set-up in numpy (lr {reference.LEARNING_RATE:g}, {len(costs)} iterations; "
        "the document reports no run):"
    )
    print(
        f"  0.01 * randn weights: cost {costs[0]:.4f} -> {costs[-1]:.4f}, accuracy {accuracy:.3f} "
        f"(it rains in {rain:.1%} of the samples: the network learns only that)"
    )
    print(
        f"  He initialization:    cost {he_costs[0]:.4f} -> {he_costs[-1]:.4f}, "
        f"accuracy {he_accuracy:.3f}"
    )

    plots.loss_curves(
        {"0.01 * randn (the document)": costs, "He initialization": he_costs},
        out_dir / "loss.png",
        title="Document 002: cost, two initializations",
        xlabel="iteration",
        ylabel="binary cross-entropy",
    )
    print(f"Figures: {out_dir / 'loss.png'}")
    return {
        "table_matches": table_matches,
        "agrees": row.passed,
        "accuracy": accuracy,
        "he_accuracy": he_accuracy,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="a short engine check (for the tests)")
    parser.add_argument("--out", default="out/demos/doc002", help="folder for the figures")
    parser.add_argument(
        "--seed", type=int, default=None, help="seed for the data and weights (default: 3)"
    )
    args = parser.parse_args()
    main(fast=args.fast, out_dir=args.out, seed=args.seed)
