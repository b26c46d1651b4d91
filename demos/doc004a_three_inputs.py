"""Document 004, first article: a 3-4-1 sigmoid network, no biases, ``weights += d_weights``.

The article ("A beginner's guide to understanding the inner workings of Deep
Learning", by the author of the book Neural Network Projects with Python) builds a 2-layer network
(4 hidden sigmoid units, no biases, weights uniform in [0, 1)) for the inputs
(0,0,1), (0,1,1), (1,0,1), (1,1,1) and targets 0, 1, 1, 0, trains it for 1500
iterations on the sum of squared errors with the update ``weights +=
d_weights`` (the negative gradient, an implied learning rate of 1), and
reports that the loss decreases monotonically and that the predictions after
1500 iterations are close to the targets (in a table that is an image).

This script runs the article's network (micrograd_nn.documents.doc004a) and
the Value engine (micrograd_nn.train.train, SGD at lr 1 on the sum of squares)
from the same weights and checks both claims on both.

Run:  python demos/doc004a_three_inputs.py [--fast] [--out DIR] [--seed N]
(--fast: 500 iterations instead of 1500.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from micrograd_nn import plots
from micrograd_nn.documents import networks
from micrograd_nn.train import train


def main(
    fast: bool = False, out_dir: str | Path = "out/demos/doc004a", seed: int | None = None
) -> dict:
    """Run the article's experiment, check its claims; print them; return the numbers."""
    network = networks.get("doc004a")
    reference = network.reference
    seed = network.default_seed if seed is None else seed
    out_dir = Path(out_dir)
    iterations = 500 if fast else reference.NUM_ITERATIONS
    print(f"Document 004, {network.title}")

    parameters, X, Y = network.setup(seed)
    trained, losses = reference.train(parameters, X, Y, num_iterations=iterations)
    model = network.model_from(parameters)
    inputs, targets, _ = network.data(seed)
    history = train(
        model,
        inputs,
        targets,
        loss="sse",
        optimizer="sgd",
        lr=reference.LEARNING_RATE,
        epochs=iterations,
        progress=False,
    )
    engine = model.to_parameters()
    difference = max(float(abs(engine[key] - trained[key]).max()) for key in trained)
    monotonic = all(b < a for a, b in zip(history.losses, history.losses[1:]))
    print(f"Training, seed {seed}: {iterations} iterations, weights += d_weights (lr 1)")
    print(f"  the article's network: loss {losses[0]:.4f} -> {losses[-1]:.6f}")
    print(f"  the Value engine:      loss {history.losses[0]:.4f} -> {history.losses[-1]:.6f}")
    print(
        f"  largest weight difference {difference:.1e}"
        + ("  (the same run)" if difference <= 1e-9 else "  DIFFERENT")
    )
    print(
        "  the loss falls at every iteration: "
        + ("yes, as the article says" if monotonic else "NO")
    )
    outputs = [model(x).data for x in inputs]
    worst = max(abs(p - y) for p, y in zip(outputs, targets))
    print("  x                target  prediction")
    for x, y, p in zip(inputs, targets, outputs):
        print(f"  {x!s:16} {y:6g}  {p:10.4f}")
    print(
        f"  largest |prediction - target| {worst:.3f}: "
        + ("near the targets, as the article says" if worst < 0.1 else "NOT near the targets")
    )

    plots.loss_curves(
        {"the article's network": losses, "the Value engine": history.losses},
        out_dir / "loss.png",
        title="Document 004 (first article): sum of squared errors",
        xlabel="iteration",
        ylabel="sum of squared errors",
    )
    print(f"Figures: {out_dir / 'loss.png'}")
    return {
        "losses": history.losses,
        "weight_difference": difference,
        "monotonic": monotonic,
        "worst_error": worst,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fast", action="store_true", help="500 iterations instead of 1500 (for the tests)"
    )
    parser.add_argument("--out", default="out/demos/doc004a", help="folder for the figures")
    parser.add_argument(
        "--seed", type=int, default=None, help="seed for the initial weights (default: 1)"
    )
    args = parser.parse_args()
    main(fast=args.fast, out_dir=args.out, seed=args.seed)
