"""``micrograd-nn list``: every network the other commands know, with its document."""
from __future__ import annotations

from ..documents.networks import TRAINABLE

HELP = "name every network: its document and one line on it"
DESCRIPTION = (
    "Every network that `micrograd-nn train` knows: its name and the document it comes\n"
    "from (title, author where the document gives one, where it was published), then\n"
    "what the network is. micrograd is micrograd's own moons demo."
)
EXAMPLE = "micrograd-nn list"


def add_arguments(parser) -> None:
    """No options."""


def command(args) -> int:
    """`micrograd-nn list`."""
    width = max(len(name) for name in TRAINABLE)
    for name, network in TRAINABLE.items():
        print(f"{name:<{width}}  {network.document}")
        print(f"{'':<{width}}  {network.title}")
    print("")
    print("train one: micrograd-nn train NAME (see micrograd-nn train --help)")
    return 0
