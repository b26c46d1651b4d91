"""micrograd's own demo: an MLP 2-16-16-1 learns the two moons with a hinge loss.

karpathy/micrograd's demo.ipynb trains ``MLP(2, [16, 16, 1])`` (ReLU hidden
layers, a linear output: a score) on ``make_moons(n_samples=100, noise=0.1)``
with the labels mapped to -1/+1, on the mean hinge loss ``relu(1 - y * score)``
plus ``1e-4 * sum(p**2)``, by full-batch SGD for 100 steps with a learning
rate that falls from 1.0 to 0.109 (``1.0 - 0.9 * k / 100``), and reaches 100 %
accuracy.

This script is that loop, written out with micrograd_nn's Values as micrograd
writes it (``micrograd-nn train micrograd`` trains the same network with the
train() loop at a constant learning rate of 0.5 instead). The data and the
weights come from one seeded generator (micrograd seeds numpy's and Python's
global ones with 1337), so the numbers differ from micrograd's, not what they do.

Run:  python demos/micrograd_moons.py [--fast] [--out DIR] [--seed N]
(--fast: 30 steps instead of 100.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from micrograd_nn import Value, hinge, plots
from micrograd_nn.documents import networks


def main(
    fast: bool = False, out_dir: str | Path = "out/demos/micrograd", seed: int | None = None
) -> dict:
    """micrograd's training loop on the moons; print the loss and accuracy; return them."""
    network = networks.get("micrograd", include_micrograd=True)
    seed = network.default_seed if seed is None else seed
    out_dir = Path(out_dir)
    steps = 30 if fast else 100
    print(network.title)

    model = network.model(seed)  # MLP(2, [16, 16, 1]): weights uniform in [-1, 1], zero biases
    inputs, targets, _ = network.data(seed)  # 100 moons, labels -1/+1
    params = model.parameters()
    print(f"{len(params)} parameters, {len(inputs)} samples, seed {seed}, {steps} steps")
    losses = []
    for k in range(steps):
        scores = [model(x) for x in inputs]
        data_loss = hinge(scores, targets)  # mean of relu(1 - y * score)
        reg_loss = 1e-4 * Value.sum([p * p for p in params])  # L2 regularization
        total = data_loss + reg_loss
        accuracy = sum((s.data > 0) == (y > 0) for s, y in zip(scores, targets)) / len(targets)
        model.zero_grad()
        total.backward()
        learning_rate = 1.0 - 0.9 * k / 100  # micrograd's schedule
        for p in params:
            p.data -= learning_rate * p.grad
        losses.append(total.data)
        if k % 10 == 0 or k == steps - 1:
            print(f"  step {k:3d} loss {total.data:.4f}, accuracy {accuracy:.0%}")
    final = sum((model(x).data > 0) == (y > 0) for x, y in zip(inputs, targets)) / len(targets)
    print(f"accuracy after {steps} steps: {final:.0%}  (micrograd's demo: 100%)")

    plots.loss_curves(
        {"hinge + L2": losses},
        out_dir / "loss.png",
        title="micrograd's demo: loss",
        xlabel="step",
        ylabel="hinge loss + 1e-4 L2",
    )
    plots.decision_boundary(
        model,
        inputs,
        targets,
        out_dir / "boundary.png",
        threshold=0.0,
        title=f"micrograd's demo after {steps} steps: accuracy {final:.0%}",
    )
    print("Figures: " + ", ".join(str(out_dir / f) for f in ("loss.png", "boundary.png")))
    return {"losses": losses, "accuracy": final}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fast", action="store_true", help="30 steps instead of 100 (for the tests)"
    )
    parser.add_argument("--out", default="out/demos/micrograd", help="folder for the figures")
    parser.add_argument(
        "--seed", type=int, default=None, help="seed for the data and weights (default: 1)"
    )
    args = parser.parse_args()
    main(fast=args.fast, out_dir=args.out, seed=args.seed)
