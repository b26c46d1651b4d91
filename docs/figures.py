"""Regenerate the README's gallery, docs/*.png (``make figures``).

Each picture is what a command writes, copied here under a descriptive name:

* alice_loss.png         ``micrograd-nn graph doc001 --sample Alice --rankdir TB``: the graph of
                         Alice's loss, every value, grad and local derivative (needs Graphviz)
* people_loss.png,       ``micrograd-nn train doc001``: the 2-2-1 network's loss, its decision
  people_boundary.png,   boundary with Emily and Frank, and w1..w6, b1..b3 during training
  people_parameters.png
* xor_boundary.png,      ``micrograd-nn train doc003 --compare-optimizers``: XOR's boundary and
  xor_optimizers.png     SGD vs momentum vs Adam from the same weights
* moons_boundary.png     ``micrograd-nn train micrograd``: micrograd's moons demo

Run:  python docs/figures.py [--out DIR]   (about 10 s)
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from micrograd_nn.draw import draw_graph, save
from micrograd_nn.documents.networks import loss_graph
from micrograd_nn.documents.training import train_network

#: (network, options of train_network) -> {file it writes: name in docs/}.
RUNS = [
    (
        "doc001",
        {},
        {
            "loss.png": "people_loss.png",
            "boundary.png": "people_boundary.png",
            "parameters.png": "people_parameters.png",
        },
    ),
    (
        "doc003",
        {"compare_optimizers": True},
        {"boundary.png": "xor_boundary.png", "optimizers.png": "xor_optimizers.png"},
    ),
    ("micrograd", {}, {"boundary.png": "moons_boundary.png"}),
]


def main(out_dir: str | Path = Path(__file__).parent) -> list[Path]:
    """Write the gallery into ``out_dir``; return the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    loss = loss_graph("doc001", sample="Alice")
    loss.backward()
    graph = draw_graph(loss, rankdir="TB")
    graph.attr(dpi="72")  # Graphviz's default 96 makes a 120 KB file; 72 is as sharp on a web page
    written = [save(graph, out_dir / "alice_loss.png")]
    with tempfile.TemporaryDirectory() as scratch:
        for name, options, files in RUNS:
            run = Path(scratch) / name
            train_network(name, out=run, progress=False, echo=lambda line: None, **options)
            for made, kept in files.items():
                written.append(Path(shutil.copyfile(run / made, out_dir / kept)))
    for path in written:
        print(f"{path}  {path.stat().st_size / 1024:.0f} KB")
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=Path(__file__).parent, help="folder (default: docs/)")
    main(parser.parse_args().out)
