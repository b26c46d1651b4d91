"""``micrograd-nn errata``: each erratum of the documents, its code run as printed beside the fix."""
from __future__ import annotations

from ..documents.errata import ERRATA, errata_table

HELP = "the documents' errata, their code run as printed beside the fix"
DESCRIPTION = (
    "For each erratum of the documents' code, run the lines as printed and the fixed ones\n"
    "on the same numbers, and print one row: the document (as `micrograd-nn list` names it),\n"
    "the erratum, what check_backprop says of the gradients as printed (the wrong rows, a\n"
    "factor, the first wrong layer), and the effect on training: the final cost as written\n"
    "vs fixed, or the exception the printed code raises and where. doc000's rows train\n"
    "2000 of the document's 10000 iterations, to stay quick; every row says its run."
)
EXAMPLE = "micrograd-nn errata --markdown --document doc004b"

DOCUMENTS = sorted({document for document, _ in ERRATA})


def add_arguments(parser) -> None:
    parser.add_argument(
        "--markdown", action="store_true", help="print the table as a GitHub pipe table"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the rows as JSON"
    )
    parser.add_argument(
        "--document", action="append", choices=DOCUMENTS, default=None, metavar="ID",
        help=f"only this document's errata (repeatable): {', '.join(DOCUMENTS)}",
    )  # fmt: skip


def command(args) -> int:
    """`micrograd-nn errata`."""
    if args.markdown and args.json:
        raise ValueError("give either --markdown or --json, not both")
    table = errata_table(args.document)
    if args.markdown:
        print(table.to_markdown(), end="")
    elif args.json:
        print(table.to_json())
    else:
        print(table, end="")
    return 0
