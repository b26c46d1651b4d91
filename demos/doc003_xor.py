"""Document 003: Layer objects [Layer(2, 3, 'tanh'), Layer(3, 1, 'sigmoid')] learn XOR.

The document ("Writing Python Code for Neural Networks from Scratch" by
Aditi Mittal, a Medium article) gives each Layer its own
W, b and activation and lets it update itself inside ``backprop``; it trains
on the four XOR samples with the log loss, learning rate 0.1, full batch, for
1500 epochs, and prints the network's outputs, but no numbers of its own.

This script trains the document's network (micrograd_nn.documents.doc003,
errata fixed) and the Value engine (micrograd_nn.train.train) from the same
weights, shows that they end at the same weights and outputs, and then trains
the same network with SGD, SGD with momentum and Adam from those weights, to
compare the optimizers.

Run:  python demos/doc003_xor.py [--fast] [--out DIR] [--seed N]
(--fast: 500 epochs instead of 1500.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from micrograd_nn import plots
from micrograd_nn.documents import networks
from micrograd_nn.train import train

#: Learning rates for the optimizer comparison: the document's for SGD and momentum, Adam's own.
OPTIMIZERS = {"sgd": 0.1, "momentum": 0.1, "adam": 0.01}


def main(
    fast: bool = False, out_dir: str | Path = "out/demos/doc003", seed: int | None = None
) -> dict:
    """Run the document's experiment and compare the optimizers; print them; return the numbers."""
    network = networks.get("doc003")
    reference = network.reference
    seed = network.default_seed if seed is None else seed
    out_dir = Path(out_dir)
    epochs = 500 if fast else reference.NUM_ITERATIONS
    print(f"Document 003: {network.title}")

    parameters, X, Y = network.setup(seed)
    trained, costs = reference.train(parameters, X, Y, num_iterations=epochs)
    model = network.model_from(parameters)
    inputs, targets, _ = network.data(seed)
    history = train(
        model,
        inputs,
        targets,
        loss="binary_cross_entropy",
        optimizer="sgd",
        lr=reference.LEARNING_RATE,
        epochs=epochs,
        progress=False,
    )
    engine = model.to_parameters()
    difference = max(float(abs(engine[key] - trained[key]).max()) for key in trained)
    print(
        f"Training, seed {seed}: full batch, lr {reference.LEARNING_RATE:g}, {epochs} epochs "
        "(the document prints no costs)"
    )
    print(f"  the document's network: cost {costs[0]:.4f} -> {costs[-1]:.4f}")
    print(f"  the Value engine:       cost {history.losses[0]:.4f} -> {history.losses[-1]:.4f}")
    print(
        f"  largest weight difference {difference:.1e}"
        + ("  (the same run)" if difference <= 1e-9 else "  DIFFERENT")
    )
    document_outputs = reference.predict(trained, X)[0]
    print("  x           target  the document's network  the Value engine")
    correct = 0
    for x, y, a in zip(inputs, targets, document_outputs):
        p = model(x).data
        correct += (p > 0.5) == (y > 0.5)
        print(f"  {x!s:11} {y:6g}  {a:22.4f}  {p:16.4f}")
    print(f"  {correct} of 4 right (output > 0.5)")

    curves = {}
    for optimizer, lr in OPTIMIZERS.items():
        run = train(
            network.model(seed),
            inputs,
            targets,
            loss="binary_cross_entropy",
            optimizer=optimizer,
            lr=lr,
            epochs=epochs,
            progress=False,
        )
        curves[f"{optimizer}, lr {lr:g}"] = run.losses
    print(f"Optimizers from the same weights, {epochs} epochs:")
    for name, losses in curves.items():
        print(f"  {name:16s} cost {losses[0]:.4f} -> {losses[-1]:.4f}")

    plots.loss_curves(
        {"the Value engine (SGD, lr 0.1)": history.losses},
        out_dir / "loss.png",
        title="Document 003: XOR, log loss",
        ylabel="binary cross-entropy",
    )
    plots.decision_boundary(
        model,
        inputs,
        targets,
        out_dir / "boundary.png",
        title=f"Document 003: XOR after {epochs} epochs",
    )
    plots.loss_curves(
        curves,
        out_dir / "optimizers.png",
        title="XOR: SGD vs momentum vs Adam, same initial weights",
        ylabel="binary cross-entropy",
    )
    print(
        "Figures: "
        + ", ".join(str(out_dir / f) for f in ("loss.png", "boundary.png", "optimizers.png"))
    )
    return {
        "costs": costs,
        "engine_losses": history.losses,
        "weight_difference": difference,
        "correct": correct,
        "optimizers": curves,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fast", action="store_true", help="500 epochs instead of 1500 (for the tests)"
    )
    parser.add_argument("--out", default="out/demos/doc003", help="folder for the figures")
    parser.add_argument(
        "--seed", type=int, default=None, help="seed for the initial weights (default: 1)"
    )
    args = parser.parse_args()
    main(fast=args.fast, out_dir=args.out, seed=args.seed)
