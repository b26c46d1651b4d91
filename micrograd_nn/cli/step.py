"""``micrograd-nn step``: the backward pass of a document network's loss, one node at a time."""
from __future__ import annotations

import sys

from ..documents import networks
from ..documents.networks import DEFAULT_NETWORK, loss_graph, sample_name
from ..steps import backward_steps, walk, write_frames
from ._arguments import sample_arguments

HELP = "step through the backward pass of a document network's loss, one node at a time"
DESCRIPTION = (
    "Walks the backward pass of one sample's loss node by node, in the order backward()\n"
    "visits them: each node's grad, and what it passes to each child (local derivative *\n"
    "grad). In a terminal, Enter advances and q quits; piped, every step is printed.\n"
    "--frames DIR draws one picture per step and an animated GIF (needs Graphviz)."
)
EXAMPLE = "micrograd-nn step doc001 --sample Bob --frames out/steps"


def add_arguments(parser) -> None:
    parser.add_argument(
        "network", nargs="?", default=DEFAULT_NETWORK, metavar="NAME",
        help=f"the network: {', '.join(networks.NETWORKS)} (default: {DEFAULT_NETWORK})",
    )
    sample_arguments(parser)
    parser.add_argument(
        "--frames", metavar="DIR", help="write DIR/step_000.png, ... and DIR/backward.gif"
    )
    parser.add_argument(
        "--rankdir", choices=("LR", "TB"), default="LR", help="direction of the frames (default: LR)"
    )


def command(args) -> int:
    """`micrograd-nn step`."""
    network = networks.get(args.network)
    sample = sample_name(args.network, args.sample, args.seed)
    seed = network.default_seed if args.seed is None else args.seed
    loss = loss_graph(args.network, sample, seed)
    total = len(loss.topological_order())
    print(f"{network.name}: {network.title}")
    print(f"The loss of sample {sample}, weights from seed {seed}.")
    print(f"Backward pass: {total} steps, one per node, from the loss down to the leaves.")
    print("At each step the node's grad is final, and each child gets local * grad:")
    print("d(node)/d(child) * d(loss)/d(node), added to what the child already has.")
    print()
    if args.frames:
        frames, gif = write_frames(loss, args.frames, rankdir=args.rankdir, echo=print)
        print(f"\nwrote {len(frames)} frames, {frames[0]} to {frames[-1]}, and {gif}")
        return 0
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    shown = walk(backward_steps(loss), interactive=interactive)
    if shown < total:
        print(f"stopped after step {shown} of {total}; the nodes after it have not been reached")
        return 0
    check = loss_graph(args.network, sample, seed)
    check.backward()
    pairs = zip(loss.topological_order(), check.topological_order())
    same = all(stepped.grad == expected.grad for stepped, expected in pairs)
    verdict = "Every grad equals a fresh backward()'s, bit for bit." if same else (
        "The grads DIFFER from a fresh backward()'s!"
    )
    print(f"\ndone: {total} steps. {verdict}")
    return 0 if same else 1
