"""The backward pass one node at a time, as you would do it on paper.

:func:`backward_steps` runs exactly the loop of ``Value.backward()`` but stops
after each node to report it: the node's grad (final by then, because every
node that uses it came earlier) and, for each child, the local derivative
d(node)/d(child), the contribution ``local * grad`` and the child's grad after
adding it. Running every step leaves the same grads as ``backward()``, bit
for bit.

Example:
    >>> from micrograd_nn import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x
    >>> y.label = "y"
    >>> for step in backward_steps(y):
    ...     print(step)
    step 1/2: y (*), grad 1 (the root: dy/dy = 1)
      x  += 3 * 1 = 3   grad now 3
      x  += 3 * 1 = 3   grad now 6
    step 2/2: x (leaf), grad 6: final, a leaf passes nothing on
    >>> x.grad
    6.0

The ``micrograd-nn step`` command walks a document network's loss this way in
the terminal, and ``--frames DIR`` draws one picture per step plus a GIF.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, TextIO

from . import _checks
from .draw import _op_text, node_names
from .engine import Value

__all__ = ["Edge", "Step", "backward_steps", "walk", "write_frames"]


class Edge(NamedTuple):
    """What one step passes to one child: ``child.grad += local * grad``."""

    child: Value
    local: float  #: d(node)/d(child), stored on the node by its op
    contribution: float  #: local * the node's grad
    child_grad: float  #: the child's grad after adding the contribution


@dataclass(frozen=True)
class Step:
    """One node of the backward pass.

    Attributes:
        index: 0 for the root, then in the order ``backward()`` visits the nodes.
        total: how many steps the pass has (the number of nodes).
        node: the Value processed.
        grad: its grad, d(root)/d(node), final at this point.
        edges: one :class:`Edge` per child, in the order of ``node.children``
            (a child used twice has two edges).
        names: a printable name for every node of the graph
            (see :func:`micrograd_nn.draw.node_names`).
    """

    index: int
    total: int
    node: Value
    grad: float
    edges: tuple[Edge, ...]
    names: Mapping[Value, str] = field(repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.names[self.node]

    def __str__(self) -> str:
        node, head = self.node, f"step {self.index + 1}/{self.total}: {self.name}"
        if node.is_leaf:
            return f"{head} (leaf), grad {_fmt(self.grad)}: final, a leaf passes nothing on"
        op = _op_text(node)
        root = ""
        if self.index == 0:
            name = self.name
            root = " (the root, seeded with 1)"
            if name.isidentifier():
                root = f" (the root: d{name}/d{name} = 1)"
        lines = [f"{head} ({op}), grad {_fmt(self.grad)}{root}"]
        width = max(len(self.names[edge.child]) for edge in self.edges)
        for edge in self.edges:
            lines.append(
                f"  {self.names[edge.child]:<{width}}  += {_fmt(edge.local)} * {_fmt(self.grad)} "
                f"= {_fmt(edge.contribution)}   grad now {_fmt(edge.child_grad)}"
            )
        return "\n".join(lines)


def _fmt(x: float) -> str:
    return format(x, ".4g")


def backward_steps(root: Value) -> Iterator[Step]:
    """The backward pass of ``root``, one :class:`Step` per node.

    Does what ``root.backward()`` does, in the same order and with the same
    arithmetic: interior grads are reset to 0, the root is seeded with 1.0 (a
    leaf root accumulates 1.0), leaves accumulate. Each step is applied
    before it is yielded, so once the iterator is exhausted every grad equals
    the one ``backward()`` gives, bit for bit; stopping early leaves the pass
    half done. Nothing changes until the first step is requested.

    Raises:
        TypeError: root is not a Value.
        ValueError: root is a batch (reduce it with a loss, ``mean()`` or ``total()``).
    """
    if not isinstance(root, Value):
        raise TypeError(
            f"backward_steps takes a Value (the root of the graph), got {type(root).__name__}"
        )
    if not isinstance(root.data, float):
        raise ValueError(
            f"backward_steps needs a scalar root, but this Value is a batch of {len(root.data)}; "
            "reduce it to one number first: with a loss, or with v.mean() or v.total()"
        )
    order = root.topological_order()
    return _steps(root, order, node_names(order))


def _steps(root: Value, order: list[Value], names: dict[Value, str]) -> Iterator[Step]:
    for node in order:
        if node.children:
            node.grad = 0.0
    if root.children:
        root.grad = 1.0
    else:
        root.grad += 1.0
    total = len(order)
    for index, node in enumerate(reversed(order)):
        grad = node.grad
        edges = []
        for child, local in zip(node.children, node.local_grads):
            contribution = local * grad  # exactly backward()'s `child.grad += local * grad`
            if not isinstance(contribution, float) and isinstance(child.data, float):
                contribution = float(contribution.sum())  # a scalar shared by a batch gets the sum
            child.grad += contribution
            edges.append(Edge(child, local, contribution, child.grad))
        yield Step(index, total, node, grad, tuple(edges), names)


# ------------------------------------------------------------- the terminal

PROMPT = "[Enter] next step, [q] quit: "


def walk(
    steps: Iterable[Step],
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    interactive: bool = False,
) -> int:
    """Print the steps; when interactive, wait for Enter after each (q or end of input quits).

    The next step is only computed once Enter is pressed, so quitting leaves
    the grads as the last printed step left them.

    Returns:
        How many steps were printed.
    """
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    shown = 0
    for step in steps:
        print(step, file=stdout)
        shown += 1
        if interactive and step.index + 1 < step.total:
            stdout.write(PROMPT)
            stdout.flush()
            answer = stdin.readline()
            if not answer:  # end of input
                stdout.write("\n")
                break
            if answer.strip().lower() in ("q", "quit"):
                break
    return shown


# --------------------------------------------------------------- the frames

# Minimum width (points) of the data/grad column in frames: wide enough for
# "grad -0.0001234" at 12 pt, so a grad appearing does not move the layout.
_FRAME_CELL_WIDTH = 104


def write_frames(
    root: Value,
    directory: str | Path,
    rankdir: str = "LR",
    dpi: int = 60,
    duration_ms: int = 900,
    echo: Callable[[str], None] | None = None,
) -> tuple[list[Path], Path]:
    """Draw the backward pass of ``root``: ``step_000.png``, ``step_001.png``, ...
    (one per step: the current node yellow and its edges red, the grads reached
    so far filled in, the others ``?``) and ``backward.gif``, all of them in turn.

    Runs the backward pass (as :func:`backward_steps`). Needs the ``dot``
    program (see :func:`micrograd_nn.draw.save`) and Pillow.

    Args:
        echo: called with each step's text (for example ``print``), as the step is drawn.

    Returns:
        (the PNG paths, the GIF path).
    """
    from PIL import Image

    from .draw import _digraph, save

    if not isinstance(root, Value):
        raise TypeError(
            f"write_frames takes a Value (the root of the graph), got {type(root).__name__}"
        )
    _checks.positive_int(dpi, "dpi")
    _checks.positive_int(duration_ms, "duration_ms")
    directory = Path(directory)
    _checks.make_folder(directory, "write_frames")
    known: set[Value] = {root}
    frames = []
    for step in backward_steps(root):
        known.update(edge.child for edge in step.edges)
        graph = _digraph(
            root, rankdir=rankdir, focus=step.node, known=known, grad_width=_FRAME_CELL_WIDTH, dpi=dpi
        )
        caption = str(step).splitlines()[0]
        graph.graph_attr.update(label=caption, labelloc="t", labeljust="l", fontname="Helvetica")
        frames.append(save(graph, directory / f"step_{step.index:03d}.png"))
        if echo is not None:
            echo(str(step))
    images = [Image.open(path).convert("RGB") for path in frames]
    width, height = max(im.width for im in images), max(im.height for im in images)
    padded = []
    for im in images:  # same size for every frame; the layout is kept stable, this is a safety net
        canvas = Image.new("RGB", (width, height), "white")
        canvas.paste(im, (0, 0))
        padded.append(canvas)
    gif = directory / "backward.gif"
    durations = [duration_ms] * (len(padded) - 1) + [3 * duration_ms]  # linger on the result
    padded[0].save(gif, save_all=True, append_images=padded[1:], duration=durations, loop=0)
    return frames, gif
