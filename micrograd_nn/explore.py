"""The backprop explorer: one self-contained HTML page per graph, to step through,
click and be quizzed on.

:func:`explore` takes the root of a graph (usually a loss) and returns an
:class:`Explorer`. ``Explorer.save(path)`` writes one HTML file that needs
nothing else: no server, no network. It holds

* the drawing, Graphviz's SVG of :func:`micrograd_nn.draw_graph` (made once,
  when the page is written; the page never redraws it, it only toggles CSS
  classes on the SVG elements, whose ids come from the topological index:
  ``v3`` the Value, ``op3`` its op, ``e3_0`` the edge from its first child);
* every number as JSON, computed here by the engine: each Value's data and
  grad, each step of the backward pass (:func:`micrograd_nn.steps.backward_steps`:
  for each child ``local * grad = contribution`` and the child's running
  total), each step of the forward pass, and for every node its chain rule
  (:func:`micrograd_nn.explain.explain`: every path from the root, its
  factors, their product, and the sum, which is the grad);
* a small plain script (a state object, one render function, event handlers)
  that shows those numbers and never computes a derivative itself.

On the page: step through backward (buttons, or the arrow keys, Home, End),
or through forward; click a node to see its paths; a quiz ("by hand") asks
each grad in turn, checks it to 3 significant digits, gives a hint after a
wrong answer and the answer after three; zoom (wheel, buttons) and pan (drag);
"focus" dims everything off the selected node's paths. The same functions are
``window.explorer`` for scripts and tests: ``nodes()``, ``reset()``,
``step()``, ``back()``, ``state()``, ``select(idOrLabel)``, ``quiz(on)``,
``answer(number)``, ``mode(name)``, ``focus(on)``.

In Jupyter an Explorer shows itself inline (``_repr_html_``, an iframe, so
several explorers in one notebook do not share ids); and once this module is
imported (``import micrograd_nn`` does it) a :class:`~micrograd_nn.Value`
displays itself as its graph's explorer, up to :data:`HTML_MAX_NODES` Values
(past that, as its text).

Example:
    >>> from micrograd_nn import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x + 2 * x
    >>> y.label = "y"
    >>> page = explore(y)            # runs y.backward(): y.grad was 0
    >>> x.grad
    8.0
    >>> [step["node"] for step in page.data["backward"]]  # backward's order, by topological id
    [4, 3, 2, 1, 0]
    >>> page.save("y_explore.html")  # doctest: +SKIP
    PosixPath('y_explore.html')
"""
from __future__ import annotations

import html
import math
import numbers
import re
from functools import cached_property
from pathlib import Path
from typing import Mapping, Sequence

from . import _checks, _saving, engine
from .engine import Value

__all__ = ["DEFAULT_MAX_NODES", "HTML_MAX_NODES", "Explorer", "explore"]

#: Graphs with more Values than this are refused (draw a part of the graph instead).
DEFAULT_MAX_NODES = 500
#: A Value shows itself in Jupyter as its graph up to this many Values, else as its text.
HTML_MAX_NODES = 60
#: A node's paths are listed up to this many; past it the page shows their sum alone.
DEFAULT_MAX_PATHS = 200

_ASSETS = Path(__file__).resolve().parent / "explorer"
_CREDIT = (
    "micrograd_nn backprop explorer. Every number on this page was computed by the "
    "micrograd_nn Value engine in Python; the page only shows them."
)


def explore(
    root: Value,
    *,
    title: str | None = None,
    factor_names: Mapping[str, Sequence] | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    max_paths: int = DEFAULT_MAX_PATHS,
) -> Explorer:
    """An explorer for the graph of ``root``: a page to step through its backward
    pass, see each node's chain rule, and be quizzed on its grads.

    Whether ``backward()`` has run is read from the root's grad: ``backward()``
    seeds the root with 1, so a root whose grad is 0.0 has not been through it,
    and ``explore`` calls ``root.backward()``; otherwise the graph's grads are left
    as they are. Every grad the page shows (on the drawing, in the steps, the
    chain rules and the quiz's answers) comes from one backward pass from
    ``root``, seeded with 1, replayed on the side (by
    :func:`micrograd_nn.steps.backward_steps`; the graph's grads are put back
    as they were). Where a node's ``grad`` differs from that pass (several
    ``backward()`` calls without ``zero_grad()``, a pass from a larger graph's
    root, a seed other than 1, a grad set by hand), the page says so in a note.

    Args:
        root: a scalar Value, usually a loss.
        title: the page's heading (default: "d(<root>)/d(every node)").
        factor_names: a document's own names for the factors of a parameter's
            derivative, by label, shown in that parameter's chain rule:
            ``{"w1": ["d_L_d_ypred", "d_ypred_d_h1", "d_h1_d_w1"]}``, or with
            each factor's value, ``{"w1": [("d_L_d_ypred", -1.58), ...]}``.
        max_nodes: refuse graphs with more Values (None: no limit).
        max_paths: list at most this many paths for one node (past it, the
            page shows how many there are and their sum).

    Raises:
        TypeError: root is not a Value, or an option has the wrong type.
        ValueError: a batched root, a graph larger than ``max_nodes``, or a
            ``factor_names`` label that is no node of the graph.
    """
    return Explorer(root, title=title, factor_names=factor_names, max_nodes=max_nodes,
                    max_paths=max_paths)


class Explorer:
    """A graph's explorer page. Make one with :func:`explore`.

    Attributes:
        root: the graph's root.
        data: every number the page shows, as plain lists and dicts (the JSON of the page).
    """

    def __init__(
        self,
        root: Value,
        *,
        title: str | None = None,
        factor_names: Mapping[str, Sequence] | None = None,
        max_nodes: int | None = DEFAULT_MAX_NODES,
        max_paths: int = DEFAULT_MAX_PATHS,
    ) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"explore takes a Value (the root of the graph), got {type(root).__name__}")
        if root.is_batched:
            raise ValueError(
                f"explore needs a scalar root, but this Value is a batch of {len(root.data)}; "
                "explore one sample's graph (or reduce the batch with a loss, mean() or total(); "
                "the page shows scalar graphs only)"
            )
        if title is not None and not isinstance(title, str):
            raise TypeError(f"explore: title must be a str, got {type(title).__name__}")
        if max_nodes is not None:
            _checks.positive_int(max_nodes, "explore: max_nodes")
        _checks.positive_int(max_paths, "explore: max_paths")
        order = root.topological_order()
        if max_nodes is not None and len(order) > max_nodes:
            raise ValueError(
                f"explore: the graph has {len(order)} Values, more than max_nodes={max_nodes}; "
                "explore a part of it (one sample's loss, one neuron's output), or pass "
                f"max_nodes={len(order)}"
            )
        batched = [node for node in order if node.is_batched]
        if batched:
            raise ValueError(
                f"explore: the graph holds batched Values ({len(batched)}, such as "
                f"{batched[0]!r}); the page shows scalar graphs: build one sample's graph"
            )
        if root.grad == 0.0:  # backward() seeds the root with 1: it has not run
            root.backward()
        self.root = root
        self._order = order
        self._title = title
        self._max_paths = max_paths
        self._factor_names = _check_factor_names(factor_names, order)
        self.data = self._page_data()

    # ------------------------------------------------------------ the numbers

    def _page_data(self) -> dict:
        from .draw import _kinds, _op_text, node_names
        from .explain import count_paths, explain, total_derivative, node_name
        from .steps import backward_steps

        order, root = self._order, self.root
        index = {node: i for i, node in enumerate(order)}
        kinds = _kinds(order, root)
        names = node_names(order)
        saved = [node.grad for node in order]
        leaves = [node for node in order if not node.children]
        for node in leaves:  # one pass from zero: what backward() gives after zero_grad()
            node.grad = 0.0
        try:
            steps = list(backward_steps(root))
            one_pass = [node.grad for node in order]
        finally:
            for node, grad in zip(order, saved):
                node.grad = grad
        self._one_pass = one_pass
        differ = [names[n] for n, g, p in zip(order, saved, one_pass) if g != p]

        nodes = []
        for i, node in enumerate(order):
            nodes.append({
                "id": i, "label": node.label, "name": names[node], "op": node.op,
                "opText": _op_text(node) if node.children else "", "kind": kinds[node],
                "data": _number(node.data), "grad": _number(one_pass[i]),
                "dataText": _text(node.data), "gradText": _text(one_pass[i]),
                "children": [index[child] for child in node.children],
                "locals": [_number(local) for local in node.local_grads],
                "formula": _formula(node, names), "values": _formula(node, names, values=True),
            })

        backward = []
        uses: dict[int, list] = {i: [] for i in range(len(order))}
        for step in steps:
            i = index[step.node]
            edges = []
            for k, edge in enumerate(step.edges):
                c = index[edge.child]
                item = {"child": c, "position": k, "local": _number(edge.local),
                        "contribution": _number(edge.contribution), "total": _number(edge.child_grad)}
                edges.append(item)
                uses[c].append({"parent": i, "position": k, "local": _number(edge.local),
                                "parentGrad": _number(step.grad),
                                "contribution": _number(edge.contribution)})
            backward.append({"node": i, "grad": _number(step.grad), "gradText": _text(step.grad),
                             "edges": edges})
        for i, node in enumerate(order):
            nodes[i]["uses"] = uses[i]

        forward = [{"node": i, "data": _number(node.data)} for i, node in enumerate(order)]

        chains = []
        for i, node in enumerate(order):
            count = count_paths(root, node)
            chain = {"target": i, "count": count, "paths": [], "listed": count <= self._max_paths}
            if chain["listed"]:
                explanation = explain(root, node, max_paths=self._max_paths)
                for path in explanation.paths:
                    ids = [index[root]] + [index[edge.child] for edge in path.edges]
                    chain["paths"].append({
                        "nodes": ids,
                        "edges": [f"e{index[e.parent]}_{e.position}" for e in path.edges],
                        "factors": [_number(f) for f in path.factors],
                        "product": _number(path.product),
                    })
                total = explanation.total
            else:
                total = total_derivative(root, node)
            chain["sum"], chain["sumText"] = _number(total), _text(total)
            names_here = self._factor_names.get(i)
            if names_here:
                chain["documentFactors"] = names_here
            chains.append(chain)

        title = self._title or f"d({node_name(root)})/d(every node): backpropagation, step by step"
        note = ""
        if differ:
            shown = ", ".join(differ[:5]) + (" ..." if len(differ) > 5 else "")
            note = (f"Every grad here is one backward pass from {names[root]}, seeded with 1. "
                    f"The .grad of {shown} in Python differs from it (several backward() calls "
                    "without zero_grad(), a pass from another root or with another seed, or a "
                    "grad set by hand).")
        return {"title": title, "credit": _CREDIT, "note": note, "root": index[root],
                "nodes": nodes, "backward": backward, "forward": forward, "chains": chains}

    # ------------------------------------------------------------ the page

    @cached_property
    def svg(self) -> str:
        """The drawing: Graphviz's SVG of the graph (the same as ``draw_graph``'s),
        with element ids, classes on the data and grad texts, and no tooltips
        (they would tell the quiz's answers; the panel says everything)."""
        from .draw import _digraph

        saved = [node.grad for node in self._order]
        for node, grad in zip(self._order, self._one_pass):  # the page's grads: one pass
            node.grad = grad
        try:
            graph = _digraph(self.root, element_ids=True, max_nodes=None)
        finally:
            for node, grad in zip(self._order, saved):
                node.grad = grad
        svg = graph.pipe(format="svg").decode("utf-8")
        svg = svg[svg.index("<svg"):]  # no XML declaration, doctype or comments before it
        svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
        svg = re.sub(r' xmlns(:xlink)?="[^"]*"', "", svg)  # inline SVG in HTML needs neither
        svg = re.sub(r' xlink:title="[^"]*"', "", svg)
        svg = re.sub(r"<title>[^<]*</title>\n?", "", svg)
        svg = re.sub(r'<text ([^>]*)>(data|grad) ', r'<text class="\2" \1>\2 ', svg)
        return svg

    def html(self) -> str:
        """The whole page, as one string."""
        import json

        payload = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        # Inside <script>: no "</script>", "<!--" or "&" can end or change it.
        payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        css = (_ASSETS / "explorer.css").read_text(encoding="utf-8")
        script = (_ASSETS / "explorer.js").read_text(encoding="utf-8")
        template = (_ASSETS / "explorer.html").read_text(encoding="utf-8")
        parts = {"TITLE": html.escape(self.data["title"]), "CSS": css, "SVG": self.svg,
                 "DATA": payload, "SCRIPT": script, "CREDIT": html.escape(self.data["credit"])}
        # One pass over the template, so a label that reads "@@DATA@@" stays a label.
        return re.sub(r"@@([A-Z]+)@@", lambda match: parts[match.group(1)], template)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (one HTML file, nothing else needed); return it as a Path.

        Written atomically, as models are (:func:`micrograd_nn.serialize.write_atomically`):
        a symbolic link is written through, the file's mode kept, errors name ``path``."""
        if not isinstance(path, (str, Path)):
            raise TypeError(f"Explorer.save: path must be a str or a pathlib.Path, got {type(path).__name__}")
        path = Path(path)
        _checks.make_folder(path.parent, "Explorer.save")
        _saving.write_atomically(path, self.html())
        return path

    def _repr_html_(self) -> str:
        """Jupyter: the page in an iframe (its own document, so explorers do not share ids)."""
        height = 640 if len(self._order) > 12 else 480
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" '
                f'style="width: 100%; height: {height}px; border: 1px solid #ddd" '
                'title="backprop explorer"></iframe>')

    def __repr__(self) -> str:
        return f"<Explorer of {len(self._order)} Values, root {self.root!r}>"


def _value_html(value: Value) -> str | None:
    """Value._repr_html_: the graph's explorer up to HTML_MAX_NODES Values, else None (text)."""
    try:
        if value.is_batched or len(value.topological_order()) > HTML_MAX_NODES:
            return None
        if value.grad == 0.0:  # backward() has not run: the drawing, without grads
            from .draw import draw_graph

            svg = draw_graph(value, show_grad=False).pipe(format="svg").decode("utf-8")
            return svg[svg.index("<svg"):]
        # never runs backward() (the grads are there); shows one pass from this Value
        return Explorer(value)._repr_html_()
    except Exception:  # a display must never raise: IPython falls back to the text
        return None


engine._html = _value_html


# ------------------------------------------------------------ helpers


def _number(x) -> float | dict:
    """A float for JSON; inf, -inf and nan, which JSON lacks, as ``{"$float": "inf"}``
    (the page reads them back as numbers, and shows them as Python writes them)."""
    x = float(x)
    return x if math.isfinite(x) else {"$float": repr(x)}


def _text(x) -> str:
    """Every digit, as Python writes it (-0.0 as 0.0)."""
    return repr(float(x) + 0.0)


def _short(x: float) -> str:
    return format(float(x) + 0.0, ".4g")


def _formula(node: Value, names: Mapping[Value, str], values: bool = False) -> str:
    """How a node is computed from its children, by name (``w1*x[0] + w2*x[1] + b1``)
    or with their values (``values=True``)."""
    if not node.children:
        return ""
    args = [_short(c.data) if values else names[c] for c in node.children]
    op = node.op
    if values:
        args = [f"({a})" if a.startswith("-") else a for a in args]
    if op in ("+", "-", "*", "/") and len(args) == 2:
        return f"{args[0]} {op} {args[1]}"
    if op == "**" and len(args) == 2:
        return f"{args[0]} ** {args[1]}"
    if op.startswith("**"):
        return f"{args[0]} ** {op[2:]}"
    if op == "neg":
        return f"-{args[0]}"
    if op == "wsum":
        terms = [f"{w}·{x}" for w, x in zip(args[0::2], args[1::2])]
        if len(args) % 2:
            terms.append(args[-1])
        return " + ".join(terms)
    if op == "sum":
        return " + ".join(args)
    return f"{op}({', '.join(args)})"


def _check_factor_names(factor_names, order: list[Value]) -> dict[int, list[dict]]:
    if factor_names is None:
        return {}
    if not isinstance(factor_names, Mapping):
        raise TypeError(
            "explore: factor_names must map a label to a list of names, as "
            "{'w1': ['d_L_d_ypred', 'd_ypred_d_h1', 'd_h1_d_w1']}; got "
            f"{type(factor_names).__name__}"
        )
    by_label: dict[str, list[int]] = {}
    for i, node in enumerate(order):
        if node.label:
            by_label.setdefault(node.label, []).append(i)
    out = {}
    for label, names in factor_names.items():
        ids = by_label.get(label)
        if not ids or len(ids) > 1:
            found = "no node" if not ids else f"{len(ids)} nodes"
            raise ValueError(
                f"explore: factor_names names {label!r}, but {found} of the graph has that label; "
                f"use one of: {', '.join(sorted(by_label)) or '(the graph has no labels)'}"
            )
        if isinstance(names, (str, bytes)) or not isinstance(names, Sequence):
            raise TypeError(
                f"explore: factor_names[{label!r}] must be a list of names (or (name, value) pairs), "
                f"got {type(names).__name__}"
            )
        items = []
        for item in names:
            if isinstance(item, str):
                items.append({"name": item, "value": None})
            elif (isinstance(item, Sequence) and len(item) == 2 and isinstance(item[0], str)
                  and isinstance(item[1], numbers.Real) and not isinstance(item[1], bool)):
                items.append({"name": item[0], "value": _number(item[1])})
            else:
                raise TypeError(
                    f"explore: factor_names[{label!r}] holds {item!r}; each factor is a name "
                    "or a (name, value) pair"
                )
        out[ids[0]] = items
    return out
