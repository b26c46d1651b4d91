"""``micrograd-nn graph``: draw a document network's loss graph for one sample."""
from __future__ import annotations

from ..documents.networks import DEFAULT_NETWORK, NETWORKS, describe_sample, loss_graph, sample_name
from ..draw import RANKDIRS, draw_graph, save
from ._arguments import sample_arguments

HELP = "draw a document network's loss graph for one sample (SVG, PNG, PDF or DOT)"
DESCRIPTION = (
    "Computes one sample's loss for a document network, runs backward(), and draws the\n"
    "graph: every Value with its label, data and grad, every op, and on each edge the\n"
    "local derivative d(out)/d(in). The format follows the suffix of --out."
)
EXAMPLE = "micrograd-nn graph doc001 --sample Alice --highlight w1 --out alice_w1.svg"


def add_arguments(parser) -> None:
    parser.add_argument(
        "network", nargs="?", default=DEFAULT_NETWORK, metavar="NAME",
        help=f"the network: {', '.join(NETWORKS)} (default: {DEFAULT_NETWORK})",
    )
    sample_arguments(parser)
    parser.add_argument("--out", metavar="FILE", help="the file to write (default: <sample>_loss.svg)")
    parser.add_argument("--rankdir", choices=RANKDIRS, default="LR",
                        help="LR: left to right (default), TB: top to bottom")
    parser.add_argument("--no-grad", dest="show_grad", action="store_false", help="leave out the grads")
    parser.add_argument("--no-local", dest="show_local", action="store_false",
                        help="leave out the edge labels (the local derivatives)")
    parser.add_argument("--highlight", metavar="LABEL",
                        help="mark every path from the loss to the node with this label")
    parser.add_argument("--cluster", action="store_true", help="box each neuron and each layer")


def command(args) -> int:
    """`micrograd-nn graph`."""
    sample = sample_name(args.network, args.sample, args.seed)
    loss = loss_graph(args.network, sample, args.seed)
    loss.backward()
    named = bool(NETWORKS[args.network].sample_names)
    out = args.out or f"{sample.lower() if named else 'sample' + sample}_loss.svg"
    graph = draw_graph(
        loss, rankdir=args.rankdir, show_grad=args.show_grad, show_local=args.show_local,
        highlight=args.highlight, cluster=args.cluster,
    )
    path = save(graph, out)
    size = len(loss.topological_order())
    print(f"wrote {path}: the loss graph of {args.network} for "
          f"{describe_sample(args.network, sample, args.seed)}: {size} Values, L = {loss.data:.4g}")
    return 0
