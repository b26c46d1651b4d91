"""``micrograd-nn derive``: document 001's chain rule for one sample, factor by factor."""
from __future__ import annotations

import math

from ..documents import doc001
from ..documents.derive import FORMATS, SAMPLES, Weights, derivation_table, sample_input
from ..documents.networks import get
from ._arguments import seed

DEFAULT_SEED = doc001.SEED

HELP = "document 001's chain rule for one sample, factor by factor, beside autograd"
DESCRIPTION = (
    "For the 2-2-1 network and one of document 001's people, print one row per parameter:\n"
    "the document's factors (d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1 for w1) with their values,\n"
    "their product, the Value engine's grad after backward(), and the difference.\n"
    "Samples: Alice, Bob, Charlie, Diana (labelled), Emily, Frank (unlabelled: --target, or the\n"
    "document's predictions F = 1, M = 0). Weights: drawn as the walk-through draws them\n"
    "(--seed), or every weight X and every bias Y (--all-weights X --all-biases Y).\n"
    "--format: text (the aligned table), markdown (a GitHub pipe table, the chain rule in\n"
    "$...$ math), latex (a standalone document: article + amsmath, one align* line per\n"
    "parameter in the document's notation) or json (every number)."
)
EXAMPLE = "micrograd-nn derive --sample Bob --seed 7 --format markdown"


def add_arguments(parser) -> None:
    parser.add_argument(
        "--sample", default="Alice", metavar="NAME",
        help=f"one of {', '.join(SAMPLES)} (default: Alice)",
    )  # fmt: skip
    parser.add_argument(
        "--target", type=int, choices=(0, 1), default=None,
        help="y_true, 1 female or 0 male (default: the person's label; Emily and Frank have none "
        "and get the document's predictions, 1 and 0)",
    )  # fmt: skip
    parser.add_argument(
        "--seed", type=seed, default=None,
        help=f"seed for the weights, drawn as the walk-through does (default: {DEFAULT_SEED})",
    )  # fmt: skip
    parser.add_argument(
        "--all-weights", type=float, default=None, metavar="X", help="set every weight to X"
    )
    parser.add_argument(
        "--all-biases", type=float, default=None, metavar="Y",
        help="set every bias to Y (either of the two defaults to 0 when only the other is given)",
    )  # fmt: skip
    parser.add_argument(
        "--format", choices=FORMATS, default=None,
        help="text, markdown, latex or json (default: text)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="the same as --format json")


def command(args) -> int:
    """`micrograd-nn derive`."""
    if args.json and args.format not in (None, "json"):
        raise ValueError(f"give either --json or --format {args.format}, not both")
    format = "json" if args.json else args.format or "text"
    name, x, y_true, note = sample_input(args.sample, args.target)
    constant = args.all_weights is not None or args.all_biases is not None
    if constant:
        if args.seed is not None:
            raise ValueError("give either --seed or --all-weights/--all-biases, not both")
        w = 0.0 if args.all_weights is None else args.all_weights
        b = 0.0 if args.all_biases is None else args.all_biases
        for option, value in (("--all-weights", w), ("--all-biases", b)):
            if not math.isfinite(value):
                raise ValueError(f"{option} must be a finite number, got {value!r}")
        weights: Weights = {p: (w if p.startswith("w") else b) for p in doc001.NAMES}
        source = f"every weight {w:g}, every bias {b:g}"
    else:
        seed = DEFAULT_SEED if args.seed is None else args.seed
        weights = get("doc001").model(seed)
        source = f"weights from seed {seed}"
    note = "; ".join(filter(None, [source, note]))
    table = derivation_table(weights, x, y_true, sample=name, note=note)
    print(table.render(format))
    return 0
