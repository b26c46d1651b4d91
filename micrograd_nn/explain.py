"""Every path of the chain rule: d(root)/d(param) as a sum over paths of products.

The chain rule on a graph says: d(root)/d(param) is the sum, over every path
from ``root`` down to ``param``, of the product of the local derivatives along
that path's edges. :func:`explain` lists those paths. Each edge goes from a
node to one of its children and carries d(node)/d(child), read from
``node.local_grads`` at the child's position: ``x * x`` has two edges down to
``x`` (local derivatives ``x`` and ``x``), and so two paths, whose products add
up to 2x.

``backward()`` computes the same sum without listing the paths (it adds them
up node by node, in reverse topological order), so the explanation's sum
equals ``param.grad`` after ``root.backward()``. The explanation itself only
reads ``data`` and ``local_grads``: it is the true derivative whether or not
``backward()`` has run.

The number of paths can grow exponentially with depth (a chain of n
diamonds has 2**n), so they are counted first, by dynamic programming over
the topological order, and listing more than ``max_paths`` raises. The sum
alone is always available: :func:`total_derivative`.

In a batched graph (one entry per example) a local derivative may be a batch;
a factor is then shown as its length and mean (``[4] mean 0.25``). Along a
path the factors multiply entry by entry, and where the path reaches a scalar
(a parameter, or a reduction such as ``mean``) from a batch, the entries add
up, as in ``backward()``: every path's product for a scalar param is one
number. Root and param must be scalars (reduce a batched root with a loss,
``mean()`` or ``total()``; a batched input's grad is ``x.grad`` after ``backward()``).

Example:
    >>> from micrograd_nn import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x
    >>> y.label = "y"
    >>> print(explain(y, x))
    d(y)/d(x): 2 paths
      path 1: y <-[* arg 1]- x
              factors: 3 = 3
      path 2: y <-[* arg 2]- x
              factors: 3 = 3
    sum over paths = 6   x.grad = 0 (backward() not called yet?)

The same explanation in other formats, to paste (:data:`FORMATS`):
``e.render("markdown")`` (or ``e.to_markdown()``) is a GitHub pipe table,
``e.to_latex()`` a standalone LaTeX document (amsmath's ``align*``; pass
``standalone=False`` for the environment alone), ``e.to_json()`` the numbers.

    >>> print(explain(y, x).to_markdown())
    | path | chain | factors | product |
    |---|---|---|---:|
    | 1 | `y <-[* arg 1]- x` | 3 | 3 |
    | 2 | `y <-[* arg 2]- x` | 3 | 3 |
    | sum over paths |  |  | 6 |
    | `x.grad` (backward() not called yet?) |  |  | 0 |
"""
from __future__ import annotations

import json
import numbers
import re
from dataclasses import dataclass

from .engine import Value

__all__ = [
    "Edge", "Explanation", "FORMATS", "Path", "count_paths", "explain", "node_name",
    "total_derivative",
]

#: The formats an explanation (and document 001's derivation table) can be written in.
FORMATS = ("text", "markdown", "latex", "json")

DEFAULT_MAX_PATHS = 1000

# Ops written between their two operands when a node has no label.
_INFIX = {"+": " + ", "-": " - ", "*": " * ", "/": " / ", "**": "**"}


def _number(x: float) -> str:
    if isinstance(x, numbers.Real):
        return f"{x:.6g}"
    return f"[{len(x)}] mean {float(x.mean()):.6g}"  # a batch


def check_format(format: object, who: str) -> str:
    """``format`` if it is one of :data:`FORMATS`, else a TypeError/ValueError naming ``who``."""
    if not isinstance(format, str):
        raise TypeError(
            f"{who}: format must be a str, one of: {', '.join(FORMATS)}; "
            f"got {type(format).__name__}"
        )
    if format not in FORMATS:
        raise ValueError(f"{who}: unknown format {format!r}; choose one of: {', '.join(FORMATS)}")
    return format


def render_as(obj, format: str, who: str) -> str:
    """``obj`` (an explanation or a derivation table) as ``format``: ``str(obj)`` for
    text, else its ``to_markdown()``, ``to_latex()`` or ``to_json()``."""
    if check_format(format, who) == "text":
        return str(obj)
    return getattr(obj, f"to_{format}")()


# ---------------------------------------------------------------- Markdown and LaTeX pieces
# Shared with micrograd_nn.documents.derive, which writes its table in the same formats.


def markdown_row(cells) -> str:
    """A pipe-table line; every ``|`` in a cell escaped (GitHub splits cells on it even
    inside a code span), newlines as spaces."""
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def markdown_code(text: str) -> str:
    """A code span: ``*``, ``_`` and ``<`` stay literal inside it; a backtick in the text
    gets a longer fence."""
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\^{}",
    "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&", "~": r"\textasciitilde{}",
}


def latex_text(text: str) -> str:
    """``text`` with LaTeX's special characters escaped, for text mode or ``\\text{}``;
    a binary minus (``1 - o1``) as a math minus, and ``--option`` as two hyphens."""
    escaped = "".join(_LATEX_SPECIAL.get(c, c) for c in text)
    return escaped.replace(" - ", " $-$ ").replace("--", "-{}-")


def latex_number(x: float, digits: int = 6, parenthesize: bool = False) -> str:
    """``x`` to ``digits`` significant digits for math mode: ``1.5e-05`` becomes
    ``1.5 \\times 10^{-5}``; a negative number in parentheses when ``parenthesize``
    (a factor of a product)."""
    text = f"{x + 0.0:.{digits}g}"  # + 0.0: no "-0"
    match = re.fullmatch(r"(-?[\d.]+)e([-+])(\d+)", text)
    if match:
        mantissa, sign, exponent = match.groups()
        text = f"{mantissa} \\times 10^{{{'-' if sign == '-' else ''}{int(exponent)}}}"
    if parenthesize and text.startswith("-"):
        text = f"({text})"
    return text


def latex_document(title: str, body: list[str]) -> str:
    """A standalone LaTeX document (article, amsmath) around ``body``'s lines."""
    return "\n".join([
        r"\documentclass{article}",
        r"\usepackage{amsmath}",
        r"\allowdisplaybreaks",
        r"\begin{document}",
        "",
        rf"\section*{{{latex_text(title)}}}",
        "",
        *body,
        "",
        r"\end{document}",
    ])  # fmt: skip


def _latex_name(node: Value) -> str:
    return rf"\text{{{latex_text(node_name(node))}}}"


def _latex_factor(x) -> str:
    """A local derivative in a product: a number, or a batch as its length and mean."""
    if isinstance(x, numbers.Real):
        return latex_number(x, parenthesize=True)
    mean = latex_number(float(x.mean()), parenthesize=True)
    return rf"\text{{[{len(x)}] mean }}{mean}"


def _json_number(x):
    return x if isinstance(x, numbers.Real) else [float(v) for v in x]


def _leaf_name(node: Value) -> str:
    return _number(node.data) if not node.is_batched else f"batch[{len(node.data)}]"


def _operand(node: Value) -> str:
    """A child's name in its parent's expression: its label, a constant's value, else '...'."""
    if node.label:
        return node.label
    if not node.children:
        return _leaf_name(node)
    return "..."


def node_name(node: Value) -> str:
    """How a node is named in an explanation.

    Its label if it has one; an unlabelled leaf (a constant) by its value;
    an unlabelled interior node by its op applied to its children's names,
    e.g. ``(1 - o1)``, ``(h**2)``, ``tanh(z)``, ``sum(a, b, c)``, ``exp(...)``.
    """
    if node.label:
        return node.label
    if not node.children:
        return _leaf_name(node)
    args = [_operand(child) for child in node.children]
    op = node.op
    if op in _INFIX and len(args) == 2:
        return f"({args[0]}{_INFIX[op]}{args[1]})"
    if op.startswith("**"):  # a number exponent: '**2', '**0.5'
        return f"({args[0]}{op})"
    if op == "neg":
        return f"(-{args[0]})"
    if len(args) > 4:
        args = args[:3] + ["..."]
    return f"{op}({', '.join(args)})"


@dataclass(frozen=True)
class Edge:
    """From ``parent`` to its child ``parent.children[position]``, carrying
    ``local`` = d(parent)/d(child) = ``parent.local_grads[position]``."""

    parent: Value
    position: int

    @property
    def child(self) -> Value:
        return self.parent.children[self.position]

    @property
    def local(self) -> float:
        return self.parent.local_grads[self.position]

    def arrow(self) -> str:
        """``<-[op]-``, with the argument number when the child appears more than once."""
        parent, child = self.parent, self.child
        repeated = sum(1 for c in parent.children if c is child) > 1
        where = f" arg {self.position + 1}" if repeated else ""
        return f"<-[{parent.op}{where}]-"


@dataclass(frozen=True)
class Path:
    """One path from the root down to the parameter: its edges, root first."""

    edges: tuple[Edge, ...]

    @property
    def factors(self) -> list[float]:
        """The local derivative of each edge, root first (an array for a batch)."""
        return [edge.local for edge in self.edges]

    @property
    def product(self) -> float:
        """The product of the factors, multiplied root first (as backward() does).

        In a batched graph the factors multiply entry by entry, and where the
        path steps from a batch to a scalar, the entries are added up."""
        product = 1.0
        for edge in self.edges:
            product = product * edge.local
            if not isinstance(product, float) and not edge.child.is_batched:
                product = float(product.sum())
        return product

    def chain(self, root: Value) -> str:
        """``L <-[**2]- (1 - o1) <-[-]- o1 ...``."""
        parts = [node_name(root)]
        for edge in self.edges:
            parts += [edge.arrow(), node_name(edge.child)]
        return " ".join(parts)


@dataclass
class Explanation:
    """The paths from ``root`` to ``param`` and what they add up to.

    Attributes:
        root, param: the two nodes.
        paths: every path, in the order of the children as stored.
        total: the sum of the paths' products: d(root)/d(param).
    """

    root: Value
    param: Value
    paths: list[Path]

    @property
    def total(self) -> float:
        total = 0.0
        for path in self.paths:
            total += path.product
        return total

    def __len__(self) -> int:
        return len(self.paths)

    def __str__(self) -> str:
        root_name, param_name = node_name(self.root), node_name(self.param)
        n = len(self.paths)
        lines = [f"d({root_name})/d({param_name}): {n} path{'' if n == 1 else 's'}"]
        if n == 0:
            lines.append(f"  {param_name} is not in {root_name}'s graph: the derivative is 0")
        for i, path in enumerate(self.paths, 1):
            label = f"  path {i}: "
            if path.edges:
                lines.append(label + path.chain(self.root))
                factors = " x ".join(_number(f) for f in path.factors)
            else:
                lines.append(label + f"{root_name} is {param_name} itself")
                factors = "(none)"
            lines.append(" " * len(label) + f"factors: {factors} = {path.product:.12g}")
        total, grad = self.total, self.param.grad
        line = f"sum over paths = {total:.12g}   {param_name}.grad = {grad:.12g}"
        if self._grad_note():
            line += f" ({self._grad_note()})"
        lines.append(line)
        return "\n".join(lines)

    def _grad_note(self) -> str:
        """Why ``param.grad`` may not equal the sum, or ''."""
        total, grad = self.total, self.param.grad
        if grad == 0.0 and total != 0.0:
            return "backward() not called yet?"
        if abs(grad - total) > 1e-9 * max(abs(grad), abs(total)) + 1e-300:
            return "differs: call root.zero_grad() and root.backward() once to compare"
        return ""

    def render(self, format: str = "text") -> str:
        """The explanation as ``format``, one of :data:`FORMATS`: text (``str()``),
        markdown, latex (a standalone document) or json."""
        return render_as(self, format, "explain")

    def to_markdown(self) -> str:
        """A GitHub pipe table: one line per path (its chain, factors and product), then
        the sum over the paths and ``param.grad``; every line starts with ``|``."""
        root_name, param_name = node_name(self.root), node_name(self.param)
        lines = [markdown_row(("path", "chain", "factors", "product")), "|---|---|---|---:|"]
        if not self.paths:
            where = f"{markdown_code(param_name)} is not in {markdown_code(root_name)}'s graph"
            lines.append(markdown_row(("none", where, "", "0")))
        for i, path in enumerate(self.paths, 1):
            if path.edges:
                chain = markdown_code(path.chain(self.root))
                factors = " × ".join(_number(f) for f in path.factors)
            else:
                chain = f"{markdown_code(root_name)} is {markdown_code(param_name)} itself"
                factors = "(none)"
            lines.append(markdown_row((str(i), chain, factors, f"{path.product + 0.0:.12g}")))
        lines.append(markdown_row(("sum over paths", "", "", f"{self.total + 0.0:.12g}")))
        note = f" ({self._grad_note()})" if self._grad_note() else ""
        grad = markdown_code(f"{param_name}.grad")
        lines.append(markdown_row((grad + note, "", "", f"{self.param.grad + 0.0:.12g}")))
        return "\n".join(lines)

    def latex_lines(self) -> list[str]:
        """The ``align*`` environment: the sum over paths, each path's factors
        d(parent)/d(child) by name, then their values and product, the sum, ``param.grad``."""
        root, param = _latex_name(self.root), _latex_name(self.param)
        n = len(self.paths)
        lines = [
            r"\begin{align*}",
            rf"\frac{{\partial {root}}}{{\partial {param}}} &= \sum_{{\text{{paths}}}}"
            rf" \prod_{{\text{{edges}}}} \frac{{\partial\, \text{{parent}}}}"
            rf"{{\partial\, \text{{child}}}} \qquad \text{{({n} path{'' if n == 1 else 's'})}} \\",
        ]
        if not self.paths:
            lines.append(rf"& \text{{{latex_text(node_name(self.param))} is not in the graph}} \\")
        for i, path in enumerate(self.paths, 1):
            fracs = [
                rf"\frac{{\partial {_latex_name(e.parent)}}}{{\partial {_latex_name(e.child)}}}"
                for e in path.edges
            ]
            values = [_latex_factor(f) for f in path.factors]
            product = latex_number(path.product, 12)
            if not path.edges:
                lines.append(rf"\text{{path {i}:}}\quad & {root} = {param} \text{{ itself: }} 1 \\")
                continue
            lines += _latex_product(rf"\text{{path {i}:}}\quad & ", fracs, "")
            lines += _latex_product("&= ", values, f" = {product}")
        lines.append(rf"\text{{sum over paths}} &= {latex_number(self.total, 12)} \\")
        note = rf" \quad \text{{({latex_text(self._grad_note())})}}" if self._grad_note() else ""
        grad_name = latex_text(f"{node_name(self.param)}.grad")
        lines.append(rf"\text{{{grad_name}}} &= {latex_number(self.param.grad, 12)}{note}")
        lines.append(r"\end{align*}")
        return lines

    def to_latex(self, standalone: bool = True) -> str:
        """The paths in amsmath's ``align*``: a complete document to compile, or with
        ``standalone=False`` the environment alone, to paste into a document of your own."""
        if not standalone:
            return "\n".join(self.latex_lines())
        root, param = node_name(self.root), node_name(self.param)
        title = f"d({root})/d({param}): every path of the chain rule"
        return latex_document(title, self.latex_lines())

    def to_dict(self) -> dict:
        """Plain numbers and strings, ready for ``json.dumps`` (a batch factor as a list)."""
        return {
            "root": node_name(self.root),
            "param": node_name(self.param),
            "paths": [
                {
                    "chain": path.chain(self.root),
                    "edges": [
                        {
                            "parent": node_name(e.parent), "op": e.parent.op,
                            "position": e.position, "child": node_name(e.child),
                            "local": _json_number(e.local),
                        }  # fmt: skip
                        for e in path.edges
                    ],
                    "factors": [_json_number(f) for f in path.factors],
                    "product": path.product,
                }
                for path in self.paths
            ],
            "total": self.total,
            "grad": self.param.grad,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def _latex_product(head: str, factors: list[str], tail: str, per_line: int = 4) -> list[str]:
    """``head f1 \\cdot f2 ... tail \\\\``, continued on a new line (``\\cdot`` first)
    every ``per_line`` factors."""
    lines, chunks = [], [factors[i: i + per_line] for i in range(0, len(factors), per_line)]
    for k, chunk in enumerate(chunks):
        start = head if k == 0 else r"&\qquad \cdot "
        end = tail if k == len(chunks) - 1 else ""
        lines.append(start + r" \cdot ".join(chunk) + end + r" \\")
    return lines


def _check(root: object, param: object) -> None:
    for name, node in (("root", root), ("param", param)):
        if not isinstance(node, Value):
            raise TypeError(f"explain: {name} must be a Value, got {type(node).__name__}")
    for name, node in (("root", root), ("param", param)):
        if node.is_batched:
            fix = (
                "reduce it first, with a loss or root.mean()/root.total()" if name == "root"
                else "explain a parameter (a scalar), or read the batch's grads from param.grad "
                "after root.backward()"
            )
            raise ValueError(
                f"explain: the {name} {node_name(node)} is a batch of {len(node.data)}; "
                f"the paths are explained for a scalar {name}: {fix}"
            )


def _path_counts(order: list[Value], param: Value) -> dict[Value, int]:
    """For every node, how many paths lead from it down to param (children before parents)."""
    counts: dict[Value, int] = {}
    for node in order:
        if node is param:
            counts[node] = 1  # paths stop at param, even if param has children
        else:
            counts[node] = sum(counts[child] for child in node.children)
    return counts


def count_paths(root: Value, param: Value) -> int:
    """The number of paths from root down to param (0 if param is not in root's graph).

    Dynamic programming over ``root.topological_order()``: paths(node) = 1 at
    param, else the sum of paths(child) over the node's edges. No recursion,
    no listing: a graph with 2**1000 paths is counted in linear time.
    """
    _check(root, param)
    return _path_counts(root.topological_order(), param)[root]


def total_derivative(root: Value, param: Value) -> float:
    """d(root)/d(param) as the sum over paths of the local-derivative products,
    without listing the paths: D(node) = 1 at param, else the sum over its
    edges of local * D(child), children first (a forward-mode sweep)."""
    _check(root, param)
    derivative: dict[Value, float] = {}
    for node in root.topological_order():
        if node is param:
            derivative[node] = 1.0
            continue
        d = 0.0
        for child, local in zip(node.children, node.local_grads):
            d = d + local * derivative[child]
        if not isinstance(d, float) and not node.is_batched:  # a scalar from a batch: add up
            d = float(d.sum())
        derivative[node] = d
    return derivative[root]


def explain(root: Value, param: Value, max_paths: int = DEFAULT_MAX_PATHS) -> Explanation:
    """Every path from ``root`` back to ``param``, with each edge's local derivative.

    Args:
        root: the output, usually the loss.
        param: any node of its graph, usually a parameter (a leaf).
        max_paths: refuse to list more paths than this.

    Returns:
        an :class:`Explanation`; ``str()`` of it is a readable table,
        ``.render(format)`` the same as markdown, latex or json (:data:`FORMATS`),
        and ``.total`` (the sum of the paths' products) equals ``param.grad``
        after ``root.backward()``.

    Raises:
        TypeError: root or param is not a Value.
        ValueError: more than ``max_paths`` paths (the message says how many).
    """
    _check(root, param)
    if isinstance(max_paths, bool) or not isinstance(max_paths, numbers.Integral) or max_paths < 1:
        raise ValueError(f"explain: max_paths must be a positive int, got {max_paths!r}")
    counts = _path_counts(root.topological_order(), param)
    n = counts[root]
    if n > max_paths:
        shown = f"{n:,}" if n < 10**15 else f"about 10**{len(str(n)) - 1}"
        raise ValueError(
            f"explain: d({node_name(root)})/d({node_name(param)}) has {shown} paths "
            "through the graph, "
            f"more than max_paths={max_paths}; explain a smaller graph (one neuron, one sample), "
            "raise max_paths, or use total_derivative(root, param) for the sum alone"
        )
    # Depth-first over the edges that lead to param, children in stored order;
    # an explicit stack, since graphs can be deeper than Python's recursion limit.
    # Each stack entry holds the path so far as a linked list (edge, rest), so a
    # step costs O(1) however deep the graph, and a path is copied out once.
    paths: list[Path] = []
    stack: list[tuple[Value, tuple | None]] = [(root, None)] if n else []
    while stack:
        node, link = stack.pop()
        if node is param:
            edges = []
            while link is not None:
                edge, link = link
                edges.append(edge)
            paths.append(Path(tuple(reversed(edges))))
            continue
        for position in reversed(range(len(node.children))):
            if counts[node.children[position]]:
                stack.append((node.children[position], (Edge(node, position), link)))
    return Explanation(root, param, paths)
