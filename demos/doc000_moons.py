"""Document 000: an L-layer network [2, 4, 4, 1] learns the two moons.

The document ("Implementing Neuron Network from scratch in Python", a blog
post of May 2023 after week 4 of Andrew Ng's Deep Learning course) builds the network in
numpy, ReLU hidden layers and a sigmoid output, trains it by full-batch
gradient descent on binary cross-entropy (learning rate 0.1, 10,000
iterations) on make_moons(1000, noise=0.05), prints the cost every 1000
iterations, from 1.17 at iteration 0 to 0.0021 at iteration 9000, and reports
accuracy 1.0.

How this script reproduces the run:

* The whole run uses the document's own network, re-implemented in numpy with
  its errata fixed (micrograd_nn.documents.doc000): 10,000 iterations take
  about a second.
* The Value engine runs the same 10,000 iterations from the same weights, on
  batched Values (one graph for all 1000 samples), in a few seconds, with
  micrograd_nn.documents.compare: every gradient agrees with the hand-coded ones to
  1e-12 (relative) and the weights after the run to 1e-9.
* The document's data and weights are unseeded; here both come from one seed
  (4 by default), so its numbers differ from the document's; what the run
  does, the cost falling by three orders of magnitude to accuracy 1.0, is the same.

Run:  python demos/doc000_moons.py [--fast] [--out DIR] [--seed N]
(--fast: the engine runs 3 iterations instead of 10,000; the numpy run is always whole.)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from micrograd_nn import plots
from micrograd_nn.documents import networks
from micrograd_nn.documents.compare import compare

#: The document's printed costs, at iterations 0, 1000, ..., 9000.
DOCUMENT_COSTS = [
    1.1711699442160648,
    0.1996401699175948,
    0.05121364979027261,
    0.01490712667482803,
    0.007923017056800827,
    0.005164007925247137,
    0.003794581299415803,
    0.002983631096035685,
    0.002452317273818909,
    0.0020784388939241102,
]
DOCUMENT_ACCURACY = 1.0


def main(
    fast: bool = False, out_dir: str | Path = "out/demos/doc000", seed: int | None = None
) -> dict:
    """Run the document's experiment, print it beside the document's numbers; return the numbers."""
    network = networks.get("doc000")
    reference = network.reference
    seed = network.default_seed if seed is None else seed
    out_dir = Path(out_dir)
    print(f"Document 000: {network.title}")

    parameters, X, Y = network.setup(seed)
    start = time.perf_counter()
    trained, costs = reference.train(parameters, X, Y)
    seconds = time.perf_counter() - start
    accuracy = reference.acc(reference.predict(X, trained), Y)  # AL > 0.9, the document's rule
    print(
        f"The document's run with its numpy network, seed {seed}: {len(costs):,} iterations, "
        f"lr {reference.LEARNING_RATE:g}, {seconds:.1f} s"
    )
    print("  iteration     cost here   the document")
    for i, document_cost in zip(range(0, len(costs), 1000), DOCUMENT_COSTS):
        print(f"  {i:9d}  {costs[i]:12.6f}   {document_cost:12.6f}")
    print(
        f"  accuracy {accuracy:.3f} (output > 0.9, the document's rule)   "
        f"the document: {DOCUMENT_ACCURACY}"
    )
    as_document = costs[9000] <= 2 * DOCUMENT_COSTS[9] and accuracy == DOCUMENT_ACCURACY
    print(
        f"  the cost falls from {costs[0]:.2f} to {costs[9000]:.5f} by iteration 9000 "
        f"(the document: from {DOCUMENT_COSTS[0]:.2f} to {DOCUMENT_COSTS[9]:.5f}), "
        f"accuracy {accuracy:.1f}: "
        + ("as in the document" if as_document else "NOT as in the document")
    )

    iterations = 3 if fast else reference.NUM_ITERATIONS
    which = f"the first {iterations}" if fast else f"all {iterations:,}"
    print(f"The Value engine from the same weights, {which} iterations (batched Values):")
    (row,) = compare(["doc000"], seed=seed, iterations=iterations)
    print(
        f"  gradients: largest difference {row.max_grad_diff:.1e} "
        f"(relative {row.max_rel_grad_diff:.1e}); weights after {iterations:,} iterations: "
        f"largest difference {row.max_weight_diff:.1e}"
    )
    print(
        "  the Value engine "
        + ("agrees with" if row.passed else "DISAGREES with")
        + " the document's network (gradients to 1e-12, weights to 1e-9)"
    )

    model = network.model_from(trained)
    inputs, targets, _ = network.data(seed)
    figures = [
        plots.loss_curves(
            {"cost (numpy run)": costs},
            out_dir / "loss.png",
            title="Document 000: cost over 10,000 iterations",
            xlabel="iteration",
            ylabel="binary cross-entropy",
        ),
        plots.decision_boundary(
            model,
            inputs,
            targets,
            out_dir / "boundary.png",
            title=f"Document 000 after {len(costs):,} iterations: accuracy {accuracy:.0%}",
        ),
    ]
    print("Figures: " + ", ".join(str(out_dir / name) for name in ("loss.png", "boundary.png")))
    return {"costs": costs, "accuracy": accuracy, "agrees": row.passed, "figures": figures}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="a short engine check (for the tests)")
    parser.add_argument("--out", default="out/demos/doc000", help="folder for the figures")
    parser.add_argument(
        "--seed", type=int, default=None, help="seed for the data and weights (default: 4)"
    )
    args = parser.parse_args()
    main(fast=args.fast, out_dir=args.out, seed=args.seed)
