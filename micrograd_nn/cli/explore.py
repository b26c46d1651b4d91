"""``micrograd-nn explore``: one self-contained HTML page to step through a document network's loss."""
from __future__ import annotations

import time
import webbrowser

from ..documents import derive, networks
from ..documents.networks import DEFAULT_NETWORK
from ..explore import explore
from ._arguments import sample_arguments

HELP = "write an interactive page (one HTML file) to step through, click and quiz the loss graph"
DESCRIPTION = (
    "Computes one sample's loss for a document network, runs backward(), and writes one\n"
    "HTML file that needs nothing else: step through backward (and forward) node by node,\n"
    "click a node for its chain rule, or take the quiz and work out each grad by hand."
)
EXAMPLE = "micrograd-nn explore doc001 --sample Alice --open"


def add_arguments(parser) -> None:
    parser.add_argument(
        "network", nargs="?", default=DEFAULT_NETWORK, metavar="NAME",
        help=f"the network: {', '.join(networks.TRAINABLE)} (default: {DEFAULT_NETWORK})",
    )
    sample_arguments(parser)
    parser.add_argument("--out", metavar="FILE", help="the page to write (default: <sample>_explore.html)")
    parser.add_argument("--open", action="store_true", help="open the page in the default browser")


def _factor_names(network: str, loss) -> dict | None:
    """Document 001's own names for each parameter's factors, with their values from the
    document's own formulas on this sample (as ``derive`` prints them)."""
    if network != "doc001":
        return None
    leaves = {node.label: node.data for node in loss.topological_order() if node.is_leaf}
    weights = {name: leaves[name] for name in derive.FACTORS}
    table = derive.derivation_table(weights, [leaves["x[0]"], leaves["x[1]"]], leaves["y_true"])
    return {row.parameter: list(zip(row.factors, row.values)) for row in table.rows}


def command(args) -> int:
    """`micrograd-nn explore`."""
    start = time.perf_counter()
    # every network of `list`, micrograd's demo too (409 Values: the page zooms and focuses)
    network = networks.get(args.network, include_micrograd=True)
    names = network.data(args.seed)[2]
    sample = names[network.sample_index(args.sample, names)]
    loss = network.loss_graph(sample, args.seed)
    loss.backward()
    page = explore(loss, title=f"{args.network}, sample {sample}: d(L)/d(every node)",
                   factor_names=_factor_names(args.network, loss))
    path = page.save(args.out or f"{sample.lower()}_explore.html")
    size = path.stat().st_size
    print(f"wrote {path} ({size / 1024:.0f} KB, {len(page.data['nodes'])} Values, "
          f"L = {loss.data:.4g}) in {time.perf_counter() - start:.2f} s")
    if args.open:
        webbrowser.open(path.resolve().as_uri())
    return 0
