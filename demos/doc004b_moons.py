"""Document 004, second article: an all-sigmoid L-layer network with caches, on the two moons.

The article (document 004's second, untitled, tagged #python #machine-learning) builds an L-layer network
in which every layer is sigmoid (weights 0.01 * randn with seed 3, zero
biases), keeps a cache per layer for backprop, and trains it on the binary
cross-entropy, full batch, for "any binary data": it gives no data, no layer
sizes, no learning rate and no results. micrograd_nn.documents.doc004b
chooses layer_dims [2, 4, 1], learning rate 5.0 and 1500 iterations on two
moons (200 samples, noise 0.1); see its docstring for why.

This script runs the whole run with the article's network in numpy (about
0.1 s) and checks the Value engine against it from the same weights
(micrograd_nn.documents.compare: gradients to 1e-12, weights after training to 1e-9).

Run:  python demos/doc004b_moons.py [--fast] [--out DIR] [--seed N]
(--fast: the engine runs 20 iterations instead of all 1500, which take about 8 s.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from micrograd_nn import plots
from micrograd_nn.documents import networks
from micrograd_nn.documents.compare import compare


def main(
    fast: bool = False, out_dir: str | Path = "out/demos/doc004b", seed: int | None = None
) -> dict:
    """Run the article's network on the moons, check the engine; print them; return the numbers."""
    network = networks.get("doc004b")
    reference = network.reference
    seed = network.default_seed if seed is None else seed
    out_dir = Path(out_dir)
    print(f"Document 004, {network.title}")

    parameters, X, Y = network.setup(seed)
    trained, costs = reference.train(parameters, X, Y)
    accuracy = reference.accuracy(trained, X, Y)
    print(
        f"The article's network in numpy, seed {seed}: {len(costs)} iterations, "
        f"lr {reference.LEARNING_RATE:g} (the article reports no run)"
    )
    for i in (0, 300, 1000, len(costs) - 1):
        print(f"  cost {costs[i]:.6f} at iteration {i}")
    print(f"  accuracy {accuracy:.3f} (output > 0.5)")

    iterations = 20 if fast else reference.NUM_ITERATIONS
    (row,) = compare(["doc004b"], seed=seed, iterations=iterations)
    print(
        f"The Value engine from the same weights, {iterations} iterations: "
        f"largest gradient difference {row.max_grad_diff:.1e}, "
        f"weight difference {row.max_weight_diff:.1e}: "
        + ("agree" if row.passed else "DISAGREE")
    )

    model = network.model_from(trained)
    inputs, targets, _ = network.data(seed)
    plots.loss_curves(
        {"cost": costs},
        out_dir / "loss.png",
        title="Document 004 (second article): all-sigmoid [2, 4, 1] on two moons",
        xlabel="iteration",
        ylabel="binary cross-entropy",
    )
    plots.decision_boundary(
        model,
        inputs,
        targets,
        out_dir / "boundary.png",
        title=f"Document 004 (second article): accuracy {accuracy:.0%}",
    )
    print("Figures: " + ", ".join(str(out_dir / f) for f in ("loss.png", "boundary.png")))
    return {"costs": costs, "accuracy": accuracy, "agrees": row.passed}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="a short engine check (for the tests)")
    parser.add_argument("--out", default="out/demos/doc004b", help="folder for the figures")
    parser.add_argument(
        "--seed", type=int, default=None, help="seed for the data and weights (default: 3)"
    )
    args = parser.parse_args()
    main(fast=args.fast, out_dir=args.out, seed=args.seed)
