"""Document 001: the 2-2-1 sigmoid network tells female from male by weight and height.

The document ("Implementing Neural Networks from Scratch", a lecture post
inspired by Victor Zhou's blog; no author named) writes every partial
derivative of its network (h1, h2, o1; weights w1..w6, biases b1..b3) by hand,
trains it by per-sample SGD on the squared error (learning rate 0.1, 1000
epochs) on four people, Alice, Bob, Charlie and Diana (1 = female, 0 = male),
and reports:

* the feedforward of x = [2, 3] with every neuron at w = [0, 1], b = 0:
  0.7216325609518421;
* mse_loss([1, 0, 0, 1], [0, 0, 0, 0]) = 0.5;
* after training, Emily 0.951 (F) and Frank 0.039 (M), and "Steve" 0.040 (M).

This script runs the same training twice from the same weights: with the
document's hand-written derivatives (micrograd_nn.documents.doc001) and with
the Value engine (micrograd_nn.train.train, one sample per step), and shows
that both end at the same weights. The document's weights are unseeded; here
they are drawn from N(0, 1) with seed 42, so the predictions land near, not
on, the document's.

Run:  python demos/doc001_people.py [--fast] [--out DIR] [--seed N]
(--fast changes nothing here: the whole run takes well under a second.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from micrograd_nn import mse, plots
from micrograd_nn.documents import networks
from micrograd_nn.documents import doc001
from micrograd_nn.train import train

#: What the document prints for Emily, Frank and Steve (generate_test_data(182, 73)).
DOCUMENT_PREDICTIONS = {"Emily": 0.951, "Frank": 0.039, "Steve": 0.040}


def main(
    fast: bool = False, out_dir: str | Path = "out/demos/doc001", seed: int | None = None
) -> dict:
    """Run the document's experiment, print it beside the document's numbers; return the numbers."""
    network = networks.get("doc001")
    seed = network.default_seed if seed is None else seed
    out_dir = Path(out_dir)
    epochs = doc001.NUM_ITERATIONS  # 1000 epochs of 4 samples: fast enough for --fast too
    print(f"Document 001: {network.title}")

    model = network.model(seed)
    for name, p in model.named_parameters():
        p.data = 1.0 if name in ("w2", "w4", "w6") else 0.0  # every neuron: w = [0, 1], b = 0
    o1 = model([2, 3]).data
    print(
        f"  feedforward of [2, 3], w = [0, 1], b = 0: {o1!r}  (the document: 0.7216325609518421)"
        + ("  same" if o1 == 0.7216325609518421 else "  DIFFERENT")
    )
    example = mse([0, 0, 0, 0], [1, 0, 0, 1]).data
    print(f"  mse_loss([1, 0, 0, 1], [0, 0, 0, 0]) = {example!r}  (the document: 0.5)")

    parameters, _, _ = network.setup(seed)
    by_hand = doc001.OurNeuralNetwork.from_names(doc001.names_from_layout(parameters))
    document_losses = by_hand.train(doc001.DATA, doc001.ALL_Y_TRUES, epochs=epochs)
    model = network.model(seed)
    initial = {p.label: p.data for p in model.parameters()}
    inputs, targets, _ = network.data(seed)
    history = train(
        model,
        inputs,
        targets,
        loss="mse",
        optimizer="sgd",
        lr=doc001.LEARNING_RATE,
        epochs=epochs,
        batch=1,
        track_parameters=True,
        progress=False,
    )
    engine = {p.label: p.data for p in model.parameters()}
    difference = max(abs(engine[name] - value) for name, value in by_hand.names().items())
    print(f"Training, seed {seed}: per-sample SGD, lr {doc001.LEARNING_RATE:g}, {epochs} epochs")
    print(
        f"  the document's loss (MSE over the four people): {document_losses[0]:.3f} at epoch 0, "
        f"{document_losses[-1]:.3f} at epoch {epochs - 1}"
    )
    print(
        f"  hand-written derivatives vs the Value engine: largest weight difference after "
        f"{epochs} epochs {difference:.1e}"
        + ("  (the same run)" if difference <= 1e-9 else "  DIFFERENT")
    )

    print("Predictions (1 = female, 0 = male):")
    people = {"Emily": doc001.EMILY, "Frank": doc001.FRANK, "Steve": doc001.STEVE_AS_WRITTEN}
    predictions = {}
    for name, x in people.items():
        p = predictions[name] = model(x).data
        document = DOCUMENT_PREDICTIONS[name]
        print(
            f"  {name:6s} {p:.3f} {'F' if p > 0.5 else 'M'}   (the document: {document:.3f} "
            f"{'F' if document > 0.5 else 'M'})"
        )
    print("  (Steve is generate_test_data(182, 73) as the document calls it: 182 kg, 73 cm)")

    trajectories = {
        label: [initial[label], *values] for label, values in history.parameters.items()
    }
    marks = {f"{name} {predictions[name]:.2f}": x for name, x in people.items() if name != "Steve"}
    plots.loss_curves(
        {
            "mean per-sample loss in the epoch": history.losses,
            "MSE over the four people after it": document_losses,
        },
        out_dir / "loss.png",
        title="Document 001: loss during training",
        ylabel="squared error",
    )
    plots.decision_boundary(
        model,
        inputs,
        targets,
        out_dir / "boundary.png",
        marks=marks,
        title="Document 001: where the network says F and M",
        xlabel=network.feature_names[0],
        ylabel=network.feature_names[1],
        class_names=network.class_names,
    )
    plots.parameter_trajectories(
        trajectories,
        out_dir / "parameters.png",
        title="Document 001: w1..w6 and b1..b3 during training",
    )
    print(
        "Figures: "
        + ", ".join(str(out_dir / f) for f in ("loss.png", "boundary.png", "parameters.png"))
    )
    return {
        "feedforward": o1,
        "mse_example": example,
        "weight_difference": difference,
        "predictions": predictions,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fast", action="store_true", help="accepted for the tests; the run is fast anyway"
    )
    parser.add_argument("--out", default="out/demos/doc001", help="folder for the figures")
    parser.add_argument(
        "--seed", type=int, default=None, help="seed for the initial weights (default: 42)"
    )
    args = parser.parse_args()
    main(fast=args.fast, out_dir=args.out, seed=args.seed)
