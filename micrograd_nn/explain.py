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
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

from .engine import Value

__all__ = ["Edge", "Explanation", "Path", "count_paths", "explain", "node_name", "total_derivative"]

DEFAULT_MAX_PATHS = 1000

# Ops written between their two operands when a node has no label.
_INFIX = {"+": " + ", "-": " - ", "*": " * ", "/": " / ", "**": "**"}


def _number(x: float) -> str:
    if isinstance(x, numbers.Real):
        return f"{x:.6g}"
    return f"[{len(x)}] mean {float(x.mean()):.6g}"  # a batch


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
        if grad == 0.0 and total != 0.0:
            line += " (backward() not called yet?)"
        elif abs(grad - total) > 1e-9 * max(abs(grad), abs(total)) + 1e-300:
            line += " (differs: call root.zero_grad() and root.backward() once to compare)"
        lines.append(line)
        return "\n".join(lines)


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
        an :class:`Explanation`; ``str()`` of it is a readable table, and
        ``.total`` (the sum of the paths' products) equals ``param.grad``
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
