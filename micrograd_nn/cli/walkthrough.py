"""``micrograd-nn walkthrough`` (and ``micrograd-nn`` alone): document 001's network end to end."""
from __future__ import annotations

from ..documents.walkthrough import DEFAULT_SEED, run
from ._arguments import positive_int, seed

HELP = "document 001's 2-2-1 network end to end (the default command)"
DESCRIPTION = (
    "Feedforward check, the document's MSE example, one SGD step with the document's chain\n"
    "rule beside autograd, the graph of Alice's loss, per-sample SGD training on the four\n"
    "people, predictions for Emily and Frank, and figures of the run (in --out)."
)
EXAMPLE = "micrograd-nn walkthrough --seed 7 --epochs 500"


def add_arguments(parser) -> None:
    parser.add_argument(
        "--seed", type=seed, default=DEFAULT_SEED, help=f"seed for the initial weights (default: {DEFAULT_SEED})"
    )
    parser.add_argument("--epochs", type=positive_int, default=1000, help="training epochs (default: 1000)")
    parser.add_argument("--out", default="out", help="folder for the pictures (default: out)")


def command(args) -> int:
    """`micrograd-nn walkthrough`."""
    run(seed=args.seed, epochs=args.epochs, out_dir=args.out)
    return 0
