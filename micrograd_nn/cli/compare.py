"""``micrograd-nn compare``: the Value engine against the documents' hand-coded networks."""
from __future__ import annotations

from ..documents.compare import check_names, compare, table_footer, table_header, table_row, to_json
from ..documents.networks import NETWORKS
from ._arguments import positive_int, seed

HELP = "check the Value engine's gradients and training against the documents' hand-coded networks"
DESCRIPTION = (
    "For each network (doc000, doc001, doc002, doc003, doc004a, doc004b), start the Value\n"
    "engine and the hand-coded reference from the same weights, compare every gradient\n"
    "(to 1e-12 relative) and the weights after training (to 1e-9). Exit status 0 if all\n"
    "agree, 1 on any mismatch."
)
EXAMPLE = "micrograd-nn compare doc003 doc004a --seed 7"


def add_arguments(parser) -> None:
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"networks to compare (default: all): {', '.join(NETWORKS)}",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--seed",
        type=seed,
        default=None,
        help="seed for every network (default: each document's own)",
    )
    parser.add_argument(
        "--iterations",
        type=positive_int,
        default=None,
        help="training iterations for every network (default: each document's whole run)",
    )


def command(args) -> int:
    """`micrograd-nn compare`: print the table (or JSON); 0 if every network agrees, else 1."""
    names = check_names(args.names or None)  # unknown names fail before any work
    if args.json:
        rows = compare(names, seed=args.seed, iterations=args.iterations)
        print(to_json(rows))
    else:
        print(table_header(), flush=True)
        rows = compare(
            names,
            seed=args.seed,
            iterations=args.iterations,
            on_row=lambda row: print(table_row(row), flush=True),
        )
        print(table_footer(rows))
    return 0 if all(row.passed for row in rows) else 1


