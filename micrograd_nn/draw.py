"""Computation graphs drawn with Graphviz: every Value, every op, every local derivative.

:func:`draw_graph` turns a Value's graph into a ``graphviz.Digraph`` (Jupyter
shows it inline). Building it needs only the ``graphviz`` Python package, not
the ``dot`` program: the DOT text (``draw_graph(L).source``) is made here, so
it can be read and tested exactly. :func:`save` runs ``dot`` to write SVG, PNG
or PDF.

What the picture shows, with data flowing left to right (``rankdir="LR"``):

* each Value as a box: its label, and beside it its data above its grad
  (numbers to 4 significant digits; in SVG the tooltip has every digit).
  Parameters (the weights and bias of a ``wsum`` node) are blue with a bold
  name, other named leaves (inputs, targets) green, unnamed leaves
  (constants such as the 2 in ``2 * x``) grey, the root orange;
* each op as a small oval between its operands and its result, named as
  written (``+``, ``-``, ``*``, ``/``, ``**2``, ``tanh``, ``sigmoid``; a
  neuron's ``wsum`` as ``Σ w·x + b``);
* on each edge operand -> op, the local derivative d(result)/d(operand),
  the factor the chain rule multiplies (every digit in the edge's tooltip).
  An operand used twice, as in ``x * x``, has two edges.

A batched Value (one entry per example) shows its length and mean, as in
``data [4] mean 0.25`` and ``grad [4] mean -0.1``, and so does a local
derivative that is a batch; the tooltips add the min and max.

Node ids come from the topological order (``v3`` is the fourth Value in
``root.topological_order()``, ``op3`` the op that made it), so the same graph
gives the same DOT text on every run. Labels are HTML-like, with ``& < > "``
escaped, so any name is safe.

Example:
    >>> from micrograd_nn import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b
    >>> c.label = "c"
    >>> c.backward()
    >>> graph = draw_graph(c)          # no `dot` needed: graph.source is the DOT text
    >>> for line in graph.source.splitlines():
    ...     if "->" in line:           # the edges: a -> *, b -> *, * -> c
    ...         print(line.strip())
    v0 -> op2 [label=-3 labeltooltip="d(c)/d(a) = -3.0" tooltip="d(c)/d(a) = -3.0"]
    v1 -> op2 [label=2 labeltooltip="d(c)/d(b) = 2.0" tooltip="d(c)/d(b) = 2.0"]
    op2 -> v2
    >>> save(graph, "c.svg")           # doctest: +SKIP
    PosixPath('c.svg')
"""
from __future__ import annotations

import html
import numbers
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Collection

from . import _checks
from .engine import Value

if TYPE_CHECKING:  # imported when a graph is drawn, so `import micrograd_nn` stays light
    import graphviz

__all__ = [
    "DEFAULT_MAX_NODES",
    "FORMATS",
    "GraphvizNotFoundError",
    "NeuronGroup",
    "draw_dot",
    "draw_graph",
    "find_neurons",
    "node_names",
    "save",
]

#: Graphs with more Values than this raise ValueError unless ``max_nodes`` is raised.
DEFAULT_MAX_NODES = 2000

#: The formats :func:`save` writes ("dot" is the DOT text, which needs no program).
FORMATS = ("svg", "png", "pdf", "dot")

RANKDIRS = ("LR", "TB")

# Ops that make a neuron's output from its weighted sum.
_ACTIVATIONS = ("sigmoid", "tanh", "relu")

# Fill colours by kind of Value; the legend is in the module docstring.
_FILL = {
    "parameter": "#cfe2f3",
    "input": "#d9ead3",
    "constant": "#eeeeee",
    "interior": "#ffffff",
    "root": "#fce5cd",
}
_HIGHLIGHT = "#cc0000"
_FOCUS_FILL = "#fff2a8"

_INSTALL_HINT = (
    "Install Graphviz: `make dot` in a clone of micrograd_nn, "
    "`sudo apt-get install graphviz` on Debian/Ubuntu, `brew install graphviz` on macOS, "
    "or see https://graphviz.org/download/"
)


class GraphvizNotFoundError(OSError):
    """The Graphviz ``dot`` program is missing; the DOT source was written instead."""


def _graphviz():
    """The graphviz Python package, imported when first needed."""
    try:
        import graphviz
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "drawing needs the graphviz Python package, a dependency of micrograd_nn: "
            "pip install graphviz (or `make venv`, which installs every dependency)",
            name="graphviz",
        ) from None
    return graphviz


def draw_graph(
    root: Value,
    rankdir: str = "LR",
    show_grad: bool = True,
    show_local: bool = True,
    highlight: Value | str | None = None,
    cluster: bool = False,
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> graphviz.Digraph:
    """Draw the graph of ``root``: every Value, every op, every local derivative.

    Args:
        root: the Value whose graph to draw (usually a loss).
        rankdir: "LR" (data flows left to right, the default) or "TB" (top to bottom).
        show_grad: False leaves the grads out (before ``backward()`` they are all 0).
        show_local: False leaves out the edge labels d(out)/d(child).
        highlight: a Value of the graph, or the label of exactly one: every path
            from ``root`` down to it is drawn in red (the chain of factors whose
            sums make up ``root``'s derivative with respect to it).
        cluster: True groups each neuron's nodes (its ``wsum`` node, activation
            and parameters) in a box, and the neurons of a layer in a larger
            box. Neurons are found from the graph alone: see :func:`find_neurons`.
            Parameters and neurons keep the order written, top to bottom; an
            input's edge into a neuron is labelled left of the layer's box.
        max_nodes: refuse graphs with more Values than this (None: no limit).

    Returns:
        A ``graphviz.Digraph``. ``.source`` is the DOT text; :func:`save` (or
        the Digraph's own ``render``) writes a picture with the ``dot`` program.

    Raises:
        TypeError: root is not a Value, or an option has the wrong type.
        ValueError: an unknown rankdir, a highlight not in the graph, or a
            graph larger than ``max_nodes``.
    """
    return _digraph(
        root,
        rankdir=rankdir,
        show_grad=show_grad,
        show_local=show_local,
        highlight=highlight,
        cluster=cluster,
        max_nodes=max_nodes,
    )


draw_dot = draw_graph  # micrograd's (and Karpathy's lecture's) name for it


def save(
    graph: graphviz.Digraph | Value,
    path: str | Path,
    format: str | None = None,
    **options,
) -> Path:
    """Write a drawing to ``path`` as SVG, PNG, PDF (with the ``dot`` program) or DOT text.

    Args:
        graph: a Digraph from :func:`draw_graph`, or a Value to draw first
            (``options`` are then passed to :func:`draw_graph`).
        path: the file to write; its folder is created if needed.
        format: "svg", "png", "pdf" or "dot"; by default the suffix of ``path``.

    Returns:
        ``path``, as a Path.

    Raises:
        ValueError: the format is none of :data:`FORMATS`.
        GraphvizNotFoundError: an ``OSError``: ``dot`` is not installed. The DOT
            source has been written next to ``path`` with the suffix ``.dot``,
            and the message says how to install Graphviz.
    """
    graphviz = _graphviz()

    if isinstance(graph, Value):
        graph = draw_graph(graph, **options)
    elif not isinstance(graph, graphviz.Digraph):
        raise TypeError(
            f"save takes a graphviz.Digraph from draw_graph or a Value, got {type(graph).__name__}"
        )
    elif options:
        raise TypeError(
            f"save: drawing options ({', '.join(options)}) only apply when a Value is given"
        )
    if not isinstance(path, (str, Path)):
        raise TypeError(f"save: path must be a str or a pathlib.Path, got {type(path).__name__}")
    path = Path(path)
    if format is None:
        format = path.suffix.lstrip(".").lower()
        if format not in FORMATS:
            raise ValueError(
                f"save: cannot tell the format from the file name {str(path)!r}; "
                f"end it with one of {', '.join('.' + f for f in FORMATS)} or pass format="
            )
    elif format not in FORMATS:
        raise ValueError(f"save: unknown format {format!r}; choose one of: {', '.join(FORMATS)}")
    _checks.make_folder(path.parent, "save")
    if format == "dot":
        path.write_text(graph.source, encoding="utf-8")
        return path
    try:
        data = graph.pipe(format=format)
    except graphviz.ExecutableNotFound:
        dot_path = path.with_suffix(".dot")
        dot_path.write_text(graph.source, encoding="utf-8")
        raise GraphvizNotFoundError(
            f"the Graphviz 'dot' program was not found, so {path} was not written; "
            f"the DOT source is in {dot_path} (once Graphviz is installed: "
            f"dot -T{format} {dot_path} -o {path}). {_INSTALL_HINT}"
        ) from None
    path.write_bytes(data)
    return path


# ----------------------------------------------------------------- neurons


@dataclass
class NeuronGroup:
    """A neuron found in a graph: its nodes, in topological order.

    Attributes:
        name: the output's label (``h1``, ``A1[0]``), else the wsum's label
            without ``sum_``, else ``neuron k``.
        layer: 1 for a neuron that reads no other neuron's output, else one
            more than the deepest neuron it reads.
        nodes: its ``wsum`` nodes, activation nodes and parameters.
    """

    name: str
    layer: int
    nodes: list[Value] = field(default_factory=list)


def find_neurons(order: list[Value]) -> list[NeuronGroup]:
    """The neurons of a graph, found from its structure alone (no model needed).

    A neuron is a ``wsum`` node (children w1, x1, w2, x2, ..., b: the even
    positions are its parameters) plus, when the wsum feeds exactly one node
    and that node is a sigmoid, tanh or relu, that activation node. The same
    neuron called on several samples has several wsum nodes sharing the same
    parameter leaves: they are one neuron. Its layer is its depth in the
    network: 1 for a neuron whose inputs are no neuron's output, else one
    more than the deepest neuron among its inputs. So an ``MLP``'s neurons
    are grouped exactly, whatever their labels.

    Args:
        order: ``root.topological_order()``.

    Returns:
        The neurons, ordered by layer, then by first appearance in ``order``.
    """
    consumers: dict[Value, list[Value]] = {}
    for node in order:
        for child in node.children:
            consumers.setdefault(child, []).append(node)
    neuron_of_key: dict[tuple, NeuronGroup] = {}
    neuron_of_output: dict[Value, NeuronGroup] = {}
    placed: set[Value] = set()
    for node in order:
        if node.op != "wsum":
            continue
        parameters = [c for c in node.children[0::2] if c.is_leaf]
        key = tuple(id(p) for p in parameters) or (id(node),)
        users = consumers.get(node, [])
        activation = users[0] if len(users) == 1 and users[0].op in _ACTIVATIONS else None
        output = activation if activation is not None else node
        inputs_from = [neuron_of_output[x].layer for x in node.children[1::2] if x in neuron_of_output]
        depth = 1 + max(inputs_from, default=0)
        neuron = neuron_of_key.get(key)
        if neuron is None:
            name = output.label or node.label.removeprefix("sum_") or f"neuron {len(neuron_of_key) + 1}"
            neuron = neuron_of_key[key] = NeuronGroup(name, depth)
        neuron.layer = max(neuron.layer, depth)
        for member in (*parameters, node, activation):
            if member is not None and member not in placed:  # a node in two clusters cannot be drawn
                placed.add(member)
                neuron.nodes.append(member)
        neuron_of_output[output] = neuron
    position = {node: i for i, node in enumerate(order)}
    neurons = list(neuron_of_key.values())
    for neuron in neurons:
        neuron.nodes.sort(key=position.__getitem__)
    return sorted(neurons, key=lambda n: n.layer)  # stable: first appearance within a layer


# ----------------------------------------------------------------- the DOT text


def node_names(order: list[Value]) -> dict[Value, str]:
    """A printable name for each node: its label; for a constant, its value;
    for an unlabelled result, the expression it computes, such as
    ``(y_true - o1)``, or ``#7 (*)`` (its topological index and op) when the
    expression would be longer than 40 characters."""
    names: dict[Value, str] = {}
    for i, node in enumerate(order):
        if not isinstance(node.label, str):  # Value() checks its label, a later assignment is not checked
            raise TypeError(
                f"node {i} of the graph ({node!r}) has a label of type {type(node.label).__name__}; "
                "labels must be str"
            )
        if node.label:
            name = node.label
        elif node.is_leaf:
            name = format(node.data, "g") if not node.is_batched else f"batch[{len(node.data)}]"
        else:
            args = [names[child] for child in node.children]
            if node.op in ("+", "-", "*", "/", "**"):
                name = f"({args[0]} {node.op} {args[1]})"
            elif node.op.startswith("**"):
                name = f"{args[0]}{node.op}"
            elif node.op == "neg":
                name = f"-{args[0]}"
            elif node.op in ("sum", "wsum"):
                name = f"Σ({', '.join(args)})"
            else:
                name = f"{node.op}({', '.join(args)})"
            if len(name) > 40:
                name = f"#{i} ({node.op})"
        names[node] = name
    return names


def _printable(text: str) -> str:
    """Control characters other than newline and tab, which XML (so SVG, and
    Graphviz's HTML-like labels) refuses, shown as U+FFFD."""
    return "".join(c if c >= " " or c in "\n\t" else "\ufffd" for c in text)


def _html_text(text: str) -> str:
    """Text for an HTML-like label, shown as typed: & < > " ' escaped, newlines as line
    breaks, a backslash doubled (Graphviz would read ``\\N`` as the node's id and ``\\G``
    as the graph's, even written as an entity) and a tab as four spaces (Graphviz drops it)."""
    text = html.escape(_printable(text)).replace("\\", "\\\\").replace("\t", "&#160;" * 4)
    return text.replace("\n", "<BR/>")


def _plain(text: str) -> str:
    """A plain (not HTML) DOT string: backslashes literal (not DOT's \\l, \\N escapes),
    no control characters."""
    return _graphviz().escape(_printable(text))


def _tooltip(text: str) -> str:
    """A tooltip's DOT string, shown as typed. Graphviz expands escapes in a tooltip once
    more than in a label (``\\\\N`` in the file is still the node's id there), so each
    backslash is doubled twice: four in the file, one on the screen."""
    return _plain(text.replace("\\", "\\\\"))


def _fmt(x: float) -> str:
    """4 significant digits; a batch (an array) as its length and mean, ``[4] mean 0.25``.
    Minus zero reads ``0`` (``x + 0.0`` turns -0.0 into 0.0)."""
    if isinstance(x, numbers.Real):
        return format(x + 0.0, ".4g")
    return f"[{len(x)}] mean {float(x.mean()) + 0.0:.4g}"


def _full(x: float) -> str:
    """Every digit, for a tooltip; a batch as its length, mean, min and max."""
    if isinstance(x, numbers.Real):
        return repr(float(x) + 0.0)
    mean, low, high = (float(v) + 0.0 for v in (x.mean(), x.min(), x.max()))
    return f"[{len(x)}] mean {mean!r}, min {low!r}, max {high!r}"


def _kinds(order: list[Value], root: Value) -> dict[Value, str]:
    parameters = {
        child for node in order if node.op == "wsum" for child in node.children[0::2] if child.is_leaf
    }
    kinds = {}
    for node in order:
        if node is root:
            kinds[node] = "root"
        elif not node.is_leaf:
            kinds[node] = "interior"
        elif node in parameters:
            kinds[node] = "parameter"
        else:
            kinds[node] = "input" if node.label else "constant"
    return kinds


def _op_text(node: Value) -> str:
    if node.op == "wsum":
        return "Σ w·x + b" if len(node.children) % 2 else "Σ w·x"
    if node.op == "sum":
        return "Σ"
    if node.op.startswith("**") and len(node.op) > 2:  # x ** (1/3) is op '**0.3333333333333333'
        return "**" + _fmt(float(node.op[2:]))
    return node.op


def _on_paths(order: list[Value], target: Value) -> set[Value]:
    """The nodes on some path from the root (last in order) down to target."""
    on = {target}
    for node in order:  # children come first, so each node sees its children's answer
        if any(child in on for child in node.children):
            on.add(node)
    return on


def _resolve_highlight(highlight, order: list[Value], index: dict[Value, int]) -> Value | None:
    if highlight is None:
        return None
    if isinstance(highlight, str):
        matches = [node for node in order if node.label == highlight]
        if len(matches) != 1:
            labels = sorted({node.label for node in order if node.label})
            found = "no node" if not matches else f"{len(matches)} nodes"
            raise ValueError(
                f"highlight: {found} of the graph labelled {highlight!r}; give the Value itself, "
                f"or one of these labels: {', '.join(labels) or '(the graph has no labels)'}"
            )
        return matches[0]
    if not isinstance(highlight, Value):
        raise TypeError(
            f"highlight must be a Value, a label or None, got {type(highlight).__name__}"
        )
    if highlight not in index:
        raise ValueError(
            f"highlight: {highlight!r} is not in the graph of the root; "
            "pass a Value the root was computed from"
        )
    return highlight


def _digraph(
    root: Value,
    *,
    rankdir: str = "LR",
    show_grad: bool = True,
    show_local: bool = True,
    highlight: Value | str | None = None,
    cluster: bool = False,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    focus: Value | None = None,
    known: Collection[Value] | None = None,
    grad_width: int | None = None,
    dpi: int | None = None,
    element_ids: bool = False,
) -> graphviz.Digraph:
    """draw_graph, plus what the step-by-step frames need: ``focus`` (the node
    being processed, filled yellow, its edges red), ``known`` (nodes whose grad
    has been reached; the others show ``grad ?``), ``grad_width`` (a minimum
    width in points for the grad cell, so the layout does not move from frame
    to frame) and ``dpi`` (for PNG). ``element_ids`` gives the SVG elements
    ids for the explorer's script: ``v3`` (the Value), ``op3`` (its op),
    ``e3_0`` (the edge from its first child to ``op3``), ``r3`` (``op3`` to ``v3``)."""
    graphviz = _graphviz()

    if not isinstance(root, Value):
        raise TypeError(
            f"draw_graph takes a Value (the root of the graph), got {type(root).__name__}"
        )
    _checks.choice(rankdir, RANKDIRS, "rankdir")
    for flag, name in ((show_grad, "show_grad"), (show_local, "show_local"), (cluster, "cluster")):
        _checks.boolean(flag, name)
    if max_nodes is not None:
        _checks.positive_int(max_nodes, "max_nodes")
    order = root.topological_order()
    if max_nodes is not None and len(order) > max_nodes:
        raise ValueError(
            f"draw_graph: the graph has {len(order)} Values, more than max_nodes={max_nodes}, "
            "too many to read in one picture. Draw a part of it: draw_graph(v) for an inner "
            "Value v draws only what v was computed from (for example one sample's term of the "
            f"loss, or one neuron's output); or pass max_nodes={len(order)} to draw it all anyway"
        )
    index = {node: i for i, node in enumerate(order)}
    target = _resolve_highlight(highlight, order, index)
    hot = _on_paths(order, target) if target is not None else set()
    kinds = _kinds(order, root)
    names = node_names(order)

    # ordering="in": each op's operands are placed in the order written (w1 above x[0] above
    # w2 ..., and a layer's outputs A1[0], A1[1], ... as the next layer reads them), top to
    # bottom in LR. Edge labels are not decorated: decorate's line ran across the numbers.
    graph = graphviz.Digraph(
        graph_attr={"rankdir": rankdir, "bgcolor": "white", "nodesep": "0.25", "ranksep": "0.35",
                    "ordering": "in"},
        node_attr={"fontname": "Helvetica", "fontsize": "12"},
        edge_attr={"fontname": "Helvetica", "fontsize": "11", "color": "#666666",
                   "arrowsize": "0.6"},
    )
    if dpi is not None:
        graph.graph_attr["dpi"] = str(dpi)

    def value_node(g, i: int, node: Value) -> None:
        kind = kinds[node]
        rows = [f"data {_fmt(node.data)}"]
        if show_grad:
            rows.append("grad " + (_fmt(node.grad) if known is None or node in known else "?"))
        width = f' WIDTH="{grad_width}"' if grad_width else ""
        cells = [f'<TD ALIGN="LEFT"{width}>{text}</TD>' for text in rows]
        if node.label:
            name = _html_text(node.label)
            name = f"<B>{name}</B>" if kind in ("parameter", "root") else name
            span = f' ROWSPAN="{len(rows)}"' if len(rows) > 1 else ""
            cells[0] = f"<TD{span}>{name}</TD>" + cells[0]
        fill = _FOCUS_FILL if node is focus else _FILL[kind]
        if node in hot:
            border = f' BORDER="2" COLOR="{_HIGHLIGHT}"'
        elif node is focus:  # same width as the other frames' borders, so the layout stays put
            border = f' BORDER="1" COLOR="{_HIGHLIGHT}"'
        else:
            border = ' BORDER="1"'
        table = f'{border} CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLUMNS="*" BGCOLOR="{fill}"'
        label = f"<<TABLE{table}>" + "".join(f"<TR>{cell}</TR>" for cell in cells) + "</TABLE>>"
        tooltip = f"{names[node]}: data {_full(node.data)}"
        if show_grad:
            tooltip += f", grad {_full(node.grad)}"
        ids = {"id": f"v{i}"} if element_ids else {}
        g.node(f"v{i}", label, shape="none", margin="0", tooltip=_tooltip(tooltip), **ids)

    def op_node(g, i: int, node: Value) -> None:
        attrs = {"shape": "ellipse", "style": "filled", "fillcolor": "#f3f3f3", "height": "0.3",
                 "margin": "0.04,0.02", "fontsize": "13"}
        if (node in hot and node is not target) or node is focus:
            attrs.update(color=_HIGHLIGHT, penwidth="2")
        if element_ids:
            attrs["id"] = f"op{i}"
        g.node(f"op{i}", _plain(_op_text(node)), **attrs)

    def draw(g, node: Value) -> None:
        i = index[node]
        if node.children:
            op_node(g, i, node)
        value_node(g, i, node)

    neurons = find_neurons(order) if cluster else []
    clustered = {node for neuron in neurons for node in neuron.nodes}
    if neurons:
        # Graphviz's crossing minimisation reorders the nodes of a cluster (w2, b1, w1 and
        # A1[0], A1[2], A1[1] top to bottom): with one cheap pass (mclimit) and no second one
        # (remincross), the order written (ordering="in", the order of the nodes) is kept.
        graph.graph_attr.update(mclimit="0.01", remincross="false")
    for layer in sorted({neuron.layer for neuron in neurons}):
        with graph.subgraph(name=f"cluster_layer{layer}") as layer_graph:
            layer_graph.attr(label=f"layer {layer}", style="rounded,dashed", color="#999999",
                             fontname="Helvetica", fontsize="11", fontcolor="#666666")
            for k, neuron in enumerate(n for n in neurons if n.layer == layer):
                with layer_graph.subgraph(name=f"cluster_layer{layer}_{k}") as neuron_graph:
                    neuron_graph.attr(label=_plain(neuron.name), style="rounded,filled",
                                      color="#bbbbbb", fillcolor="#fafafa")
                    for node in neuron.nodes:
                        draw(neuron_graph, node)
    for node in order:
        if node not in clustered:
            draw(graph, node)

    for node in order:
        if not node.children:
            continue
        i = index[node]
        on_path = node in hot and node is not target
        for k, (child, local) in enumerate(zip(node.children, node.local_grads)):
            attrs = {"id": f"e{i}_{k}"} if element_ids else {}
            if show_local and node in clustered and child not in clustered:
                # An edge from outside into a neuron (an input x[0] -> its wsum): its label
                # sits mid-edge, and at the usual length that is a column the layer's box
                # covers, so every such label was pushed onto the box's border. Three ranks
                # long, the edge's middle is left of the box, each label on its own edge.
                attrs["minlen"] = "3"
            if show_local:
                attrs["label"] = _fmt(local)
                attrs["tooltip"] = attrs["labeltooltip"] = _tooltip(
                    f"d({names[node]})/d({names[child]}) = {_full(local)}"
                )
            if (on_path and child in hot) or node is focus:
                attrs.update(color=_HIGHLIGHT, fontcolor=_HIGHLIGHT, penwidth="2")
            graph.edge(f"v{index[child]}", f"op{i}", **attrs)
        attrs = {"id": f"r{i}"} if element_ids else {}
        if on_path or node is focus:
            attrs.update(color=_HIGHLIGHT, penwidth="2")
        graph.edge(f"op{i}", f"v{i}", **attrs)
    return graph
