"""``micrograd-nn list``: every network the other commands know, with its document."""
from __future__ import annotations

from ..documents.networks import TRAINABLE

HELP = "name every network: its document and one line on it"
DESCRIPTION = (
    "One line per network that `micrograd-nn train` knows: its name, the document it\n"
    "comes from (in shared/seeds/) and what it is. micrograd is micrograd's own moons demo."
)
EXAMPLE = "micrograd-nn list"


def add_arguments(parser) -> None:
    """No options."""


def command(args) -> int:
    """`micrograd-nn list`."""
    width = max(len(name) for name in TRAINABLE)
    doc_width = max(len(network.document) for network in TRAINABLE.values())
    for name, network in TRAINABLE.items():
        print(f"{name:<{width}}  {network.document:<{doc_width}}  {network.title}")
    print("")
    print("train one: micrograd-nn train NAME (see micrograd-nn train --help)")
    return 0
