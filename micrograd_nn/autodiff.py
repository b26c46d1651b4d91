"""Derivatives of derivatives, forward mode, and ops of your own.

* :func:`grad` -- the gradients of a scalar with respect to some nodes, as a
  list, without touching anyone's ``.grad`` (as ``torch.autograd.grad``).
  With ``create_graph=True`` each gradient is a Value, built by the backward
  pass from the same ops, so it can be differentiated again (to any order),
  drawn, stepped through and explained like any graph.
* :func:`hessian` -- the matrix of second derivatives, from ``grad`` twice.
* :func:`jvp` -- forward mode: a directional derivative pushed forward from
  the leaves through the stored local derivatives.
* :func:`function` -- a decorator that makes an op of Values from a plain
  function of floats that returns its value and its partial derivatives.

Notation, as in JAX's autodidax: ``x_dot`` is a tangent (d(node)/dt along a
direction, forward mode), ``z_bar`` a cotangent (d(output)/d(node), reverse
mode). Reverse mode is the same loop as ``Value.backward()``, ``z_bar[child] +=
local * z_bar[node]``, into a dictionary instead of the ``.grad`` attributes.
With ``create_graph=True`` the locals come from each node's
``local_grads_fn`` (the rule written beside its op in ``engine.py``) as Values,
and the products and sums are ops too.

>>> from micrograd_nn import Value, grad
>>> x = Value(3.0, label="x")
>>> y = x**3
>>> (dy,) = grad(y, [x], create_graph=True)   # 3 x**2, a Value
>>> (d2y,) = grad(dy, [x], create_graph=True)  # 6 x
>>> dy.data, d2y.data, grad(d2y, [x])
(27.0, 18.0, [6.0])
"""
from __future__ import annotations

import functools
import math
import numbers
from typing import Callable, Mapping, Sequence, Union

from . import _checks, engine
from ._words import plural
from .engine import Value, _short

__all__ = ["function", "grad", "hessian", "jvp"]

Number = Union[int, float]


def _check_output(output: object, what: str) -> None:
    if not isinstance(output, Value):
        raise TypeError(
            f"{what}: the output must be a Value, got {type(output).__name__} {_short(output)}"
        )
    if not isinstance(output.data, float):
        raise ValueError(
            f"{what}: the output must be a scalar, but it is a batch of {len(output.data)}; "
            "reduce it to one number first, with a loss or with v.mean() or v.total()"
        )


def _check_inputs(inputs: object, what: str) -> list[Value]:
    if isinstance(inputs, Value):
        raise TypeError(f"{what}: inputs must be a list of Values; for one Value x pass [x]")
    try:
        inputs = list(inputs)
    except TypeError:
        raise TypeError(
            f"{what}: inputs must be a list of Values, got {type(inputs).__name__} {_short(inputs)}"
        ) from None
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(
                f"{what}: inputs[{i}] is {type(x).__name__} {_short(x)}, not a Value; "
                "gradients are taken with respect to nodes of the graph (Values)"
            )
    return inputs


# ------------------------------------------------------------ reverse mode


def grad(output: Value, inputs: Sequence[Value], *, create_graph: bool = False) -> list:
    """d(output)/d(x) for each x in ``inputs``, in order, as a list.

    No ``.grad`` anywhere is read or written: the cotangents are kept in a
    dictionary. An input that ``output`` does not depend on gets 0.

    Args:
        output: a scalar Value.
        inputs: the nodes to differentiate with respect to: leaves
            (parameters, inputs) or interior nodes of ``output``'s graph.
        create_graph: False: floats (for a batched input, an array), from the
            stored local derivatives, as ``backward()`` computes them. True:
            Values, made by the backward pass from the same ops (each local
            derivative rebuilt as a Value by its op's ``local_grads_fn``),
            so ``grad()`` applies to them again, and ``draw_graph``,
            ``backward_steps`` and ``explain`` show the backward pass as a
            graph. A gradient may be a node of the original graph itself
            (d(a*b)/da is ``b``), or a constant leaf (d(a+b)/da is Value(1.0)).
            A constant local derivative (the 1 of ``+``, relu's 0 or 1) is a
            constant, not an op: a relu's second derivative is 0, as in PyTorch.

    Raises:
        TypeError: output is not a Value, or inputs is not a list of Values.
        ValueError: output is a batch; or, with ``create_graph=True``, the
            graph holds batched Values (not supported: build one graph per
            example) or an op without Value rule (an ``@function`` op given no
            ``derivative``).

    Example:
        >>> from micrograd_nn import Value
        >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        >>> c = a * b + a
        >>> grad(c, [a, b]), a.grad, b.grad
        ([-2.0, 2.0], 0.0, 0.0)
    """
    _check_output(output, "grad")
    inputs = _check_inputs(inputs, "grad")
    if _checks.boolean(create_graph, "grad: create_graph"):
        z_bar = _cotangents_as_values(output)
        return [_as_value(z_bar.get(x, 0.0)) for x in inputs]
    z_bar = _cotangents(output)
    return [z_bar.get(x, 0.0) for x in inputs]


def _cotangents(output: Value) -> dict:
    """z_bar[node] = d(output)/d(node) as floats (arrays on batched nodes), as backward() does."""
    z_bar: dict = {output: 1.0}
    for node in reversed(output.topological_order(leaves=False)):
        g = z_bar[node]  # final: every parent of node came before it
        batched = g.__class__ is not float
        for child, local in zip(node.children, node.local_grads):
            contribution = local * g
            if batched and isinstance(child.data, float):  # a scalar shared by the batch: the sum
                contribution = float(contribution.sum())
            z_bar[child] = z_bar.get(child, 0.0) + contribution
    return z_bar


def _cotangents_as_values(output: Value) -> dict:
    """z_bar[node] = d(output)/d(node), built from ops: a Value, or a float where it is a constant.

    Each node's contributions are kept in a list and added up (one ``sum``
    node) when the node is reached, after all of its parents. Zero constants
    are dropped and constant factors of 1 and -1 are not multiplied, so the
    graph holds only the ops a hand derivation writes.
    """
    for node in output.topological_order():
        if not isinstance(node.data, float):
            raise ValueError(
                "grad(create_graph=True) works on scalar graphs, but this one holds batched "
                f"Values ({_what(node)} is a batch of {len(node.data)}); build one graph per "
                "example, or use create_graph=False"
            )
    parts: dict = {output: [1.0]}
    z_bar: dict = {}
    for node in reversed(output.topological_order(leaves=False)):
        g = z_bar[node] = _add_up(parts.pop(node, ()))  # none: every path to it had a zero factor
        if g.__class__ is float and g == 0.0:
            continue
        rule = node.local_grads_fn
        if rule is None:
            raise ValueError(
                f"grad(create_graph=True): the '{node.op}' node has no rule for its local "
                "derivatives as Values (local_grads_fn is None); give its op one, beside it"
            )
        for child, local in zip(node.children, rule(node)):
            contribution = _times(local, g)
            if contribution is not None:
                parts.setdefault(child, []).append(contribution)
    for node, contributions in parts.items():  # the leaves
        z_bar[node] = _add_up(contributions)
    return z_bar


def _what(node: Value) -> str:
    name = f" {node.label}" if node.label else ""
    return f"the '{node.op}' node{name}" if node.op else f"the leaf{name}"


def _times(local, g):
    """local * g for create_graph, each a Value or a constant float; None for a zero constant."""
    if local.__class__ is float:
        if local == 0.0:
            return None
        if g.__class__ is float:
            return local * g
        if local == 1.0:
            return g
        if local == -1.0:
            return -g
        return local * g
    if g.__class__ is float:
        if g == 0.0:
            return None
        return local if g == 1.0 else (-local if g == -1.0 else local * g)
    return local * g


def _add_up(contributions: list):
    """One sum for a node's contributions: a float if all are constants, else a Value."""
    values = [c for c in contributions if c.__class__ is not float]
    constant = math.fsum(c for c in contributions if c.__class__ is float)
    if not values:
        return constant
    if constant != 0.0:
        values.append(constant)
    return values[0] if len(values) == 1 else Value.sum(values)


def _as_value(x) -> Value:
    return x if isinstance(x, Value) else Value(x)


def hessian(output: Value, inputs: Sequence[Value]) -> list[list[float]]:
    """The matrix of second derivatives d2(output)/d(x_i)d(x_j), as a list of lists of floats.

    Row i is ``grad(g_i, inputs)`` for g_i = d(output)/d(x_i) from
    ``grad(output, inputs, create_graph=True)``: one reverse pass over the
    gradient graph per input. The matrix is symmetric up to rounding (the two
    orders of differentiation add up the same terms in different orders).
    The same rules and errors as :func:`grad` with ``create_graph=True``.

    Example:
        >>> from micrograd_nn import Value
        >>> x, y = Value(1.0), Value(2.0)
        >>> hessian(x * x * y + y**3, [x, y])   # [[2y, 2x], [2x, 6y]]
        [[4.0, 2.0], [2.0, 12.0]]
    """
    _check_output(output, "hessian")
    inputs = _check_inputs(inputs, "hessian")
    first = grad(output, inputs, create_graph=True)
    return [[float(h) for h in grad(g, inputs)] for g in first]


# ------------------------------------------------------------ forward mode


def jvp(output: Value | Sequence[Value], tangents: Mapping[Value, Number]):
    """The directional derivative of ``output`` along ``tangents``, by forward mode.

    Each leaf x starts with its tangent x_dot = tangents[x] (0 for a leaf
    not in ``tangents``); every node then gets x_dot = sum over its children
    of local * child's x_dot, in topological order, from the same stored local
    derivatives as ``backward()``. The result equals reverse mode's
    sum of grad * tangent over the leaves. One forward pass gives the
    derivative of every output along one direction; one reverse pass gives
    the derivative of one output along every direction.

    Args:
        output: a Value, or a list of Values (one pass for all of them).
        tangents: ``{leaf: number}``, the direction. For a batched leaf, a
            number (the same for every entry) or one number per entry.
            Leaves that ``output`` does not depend on are ignored.

    Returns:
        a float (an array for a batched output), or a list of them for a list
        of outputs.

    Raises:
        TypeError: output is not a Value (or a list of them), tangents is not
            a dict of Values to numbers.
        ValueError: a key of tangents is an interior node (tangents start at
            leaves).

    Example:
        >>> from micrograd_nn import Value
        >>> x, y = Value(2.0), Value(3.0)
        >>> jvp(x * y, {x: 1.0})                 # d(xy)/dx = y
        3.0
        >>> jvp([x * y, x + y], {x: 1.0, y: 2.0})
        [7.0, 3.0]
    """
    outputs = [output] if isinstance(output, Value) else output
    try:
        outputs = list(outputs)
    except TypeError:
        outputs = None
    if outputs is None or not all(isinstance(o, Value) for o in outputs):
        raise TypeError(
            "jvp: output must be a Value or a list of Values, got "
            f"{type(output).__name__} {_short(output)}"
        )
    if not isinstance(tangents, Mapping):
        raise TypeError(
            "jvp: tangents must be a dict {leaf: number}, got "
            f"{type(tangents).__name__} {_short(tangents)}"
        )
    x_dot: dict = {}
    for x, t in tangents.items():
        if not isinstance(x, Value):
            raise TypeError(
                "jvp: the keys of tangents must be Values (leaves), got "
                f"{type(x).__name__} {_short(x)}"
            )
        if x.children:
            raise ValueError(
                f"jvp: tangents start at leaves, but a key is a '{x.op}' node; give the tangents "
                "of the leaves it was computed from instead"
            )
        x_dot[x] = _tangent(x, t)
    for node in _order(outputs):
        if not node.children:
            x_dot.setdefault(node, 0.0)
            continue
        t = 0.0
        for child, local in zip(node.children, node.local_grads):
            c = x_dot[child]
            if c.__class__ is float and c == 0.0:
                continue
            t = t + local * c
        if isinstance(node.data, float) and t.__class__ is not float:  # a batch reduced to a scalar
            t = float(t.sum())
        x_dot[node] = t
    results = [x_dot[o] for o in outputs]
    return results[0] if isinstance(output, Value) else results


def _tangent(leaf: Value, t):
    """A leaf's tangent as a float, or for a batched leaf an array of its length."""
    if t.__class__ is float:
        return t
    size = "a number" if isinstance(leaf.data, float) else f"a number or {len(leaf.data)} numbers"
    name = leaf.label or "a leaf"
    if isinstance(t, numbers.Real) and not isinstance(t, bool):
        return float(t)
    wrong = f"jvp: the tangent of {name} must be {size}, got {type(t).__name__} {_short(t)}"
    if isinstance(t, (bool, str, bytes, Value)):
        raise TypeError(wrong)
    import numpy as np

    try:
        array = np.asarray(t, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(wrong) from None
    if isinstance(leaf.data, float) or array.shape != leaf.data.shape:
        raise ValueError(f"jvp: the tangent of {name} must be {size}, got shape {array.shape}")
    return array


def _order(roots: list[Value]) -> list[Value]:
    """Every node of the roots' graphs once, each after its children: one search."""
    if len(roots) == 1:
        return roots[0].topological_order()
    above = Value(0.0)  # a stand-in parent of every root, left out of the order
    above.children = tuple(roots)
    return above.topological_order()[:-1]


# ------------------------------------------------------------ your own ops


def function(
    fn: Callable | None = None, *, derivative: Callable | None = None, name: str | None = None
):
    """Make an op of Values from a plain function of floats and its partial derivatives.

    ``fn(x1, ..., xn)`` takes floats and returns ``(value, (d/dx1, ..., d/dxn))``,
    one partial per argument, in order (a one-argument function may return a
    bare number as its partial). The decorated function takes Values or
    numbers and returns a node whose op is named after ``fn`` (or ``name``),
    with the partials stored as its local derivatives: it takes part in
    ``backward()``, :func:`grad`, :func:`jvp`, ``draw_graph``,
    ``backward_steps``, ``explain`` and ``gradcheck`` like a built-in op.
    Batched arguments are evaluated entry by entry (one call of ``fn`` per
    example, so slower than a built-in).

    Second derivatives: ``fn``'s partials are floats, so they cannot be
    differentiated. ``grad(..., create_graph=True)`` and ``hessian`` through
    the op need ``derivative``: a function of the op's arguments as Values
    that returns the same partials built from Value ops (built-ins or other
    ``@function`` ops). Without it they raise a ``ValueError`` naming the op.
    Each time create_graph goes through a node, ``derivative``'s numbers are
    compared with ``fn``'s partials at that node's arguments, and a
    disagreement is an error. That is a check at the point where it is used,
    not a proof: a ``derivative`` that agrees there but is wrong elsewhere
    passes, and the second derivatives built from it are wrong (for ``x**2``
    with ``derivative=lambda a: 3 * a``, at a = 0 both partials are 0, and
    ``hessian`` gives 3, not 2). Check ``derivative`` itself at a few points
    (``gradcheck`` of ``grad(..., create_graph=True)``, or a central difference
    of ``fn``'s partials).

    Args:
        fn: the function of floats.
        derivative: optional, the partials as Values, for create_graph.
        name: the op's name, if not ``fn.__name__``.

    Raises (when the op is called):
        TypeError: an argument is not a Value or a number; ``fn`` does not
            return a (value, partials) pair of numbers.
        ValueError: the wrong number of partials; a value or partial that is
            NaN or infinite for finite arguments.

    Example:
        >>> import math
        >>> from micrograd_nn import Value
        >>> @function(derivative=lambda x: (x.sigmoid(),))
        ... def softplus(x):
        ...     return math.log1p(math.exp(x)), (1 / (1 + math.exp(-x)),)
        >>> a = Value(0.0, label="a")
        >>> y = softplus(a * 2)
        >>> y.backward()
        >>> y.op, round(y.data, 6), a.grad
        ('softplus', 0.693147, 1.0)
    """
    if fn is None:  # @function(...) with keywords
        return lambda f: function(f, derivative=derivative, name=name)
    if not callable(fn):
        raise TypeError(
            f"@function decorates a function of floats, got {type(fn).__name__} {_short(fn)}"
        )
    if derivative is not None and not callable(derivative):
        raise TypeError(
            f"@function: derivative must be a function of Values, got {type(derivative).__name__}"
        )
    op = name if name is not None else getattr(fn, "__name__", "function")
    if not isinstance(op, str) or not op:
        raise TypeError(f"@function: name must be a non-empty str, got {_short(op)}")

    def local_grads_fn(out: Value) -> tuple:
        """The op's partials as Values, from ``derivative``, for create_graph."""
        if derivative is None:
            raise ValueError(
                f"grad(create_graph=True) needs the '{op}' node's partial derivatives as Values, "
                f"but @function {op} gives them as floats only; pass derivative=, a function of "
                f"the arguments as Values returning the partials from Value ops, for example "
                f"@function(derivative=lambda x: (x.sigmoid(),)) for softplus"
            )
        partials = derivative(*out.children)
        if isinstance(partials, Value) and len(out.children) == 1:
            partials = (partials,)
        if not isinstance(partials, (tuple, list)) or len(partials) != len(out.children):
            raise ValueError(
                f"@function {op}: derivative must return one partial per argument "
                f"({len(out.children)}), got {_short(partials)}"
            )
        checked = []
        for i, (p, expected) in enumerate(zip(partials, out.local_grads)):
            if isinstance(p, bool) or not isinstance(p, (Value, numbers.Real)):
                raise TypeError(
                    f"@function {op}: derivative's partial {i + 1} must be a Value or a number, "
                    f"got {type(p).__name__} {_short(p)}"
                )
            number = p.data if isinstance(p, Value) else float(p)
            if not math.isclose(number, expected, rel_tol=1e-6, abs_tol=1e-12):
                raise ValueError(
                    f"@function {op}: derivative and the function disagree on partial {i + 1} at "
                    f"{', '.join(repr(c.data) for c in out.children)}: {number!r} from derivative, "
                    f"{expected!r} from {op} itself; one of them is wrong"
                )
            checked.append(p if isinstance(p, Value) else float(p))
        return tuple(checked)

    @functools.wraps(fn)
    def op_of_values(*args: Value | Number) -> Value:
        if not args:
            raise TypeError(f"{op}() takes at least one Value or number")
        children = tuple(engine._lift(a, op) for a in args)
        if all(isinstance(c.data, float) for c in children):
            value, partials = _call(fn, op, [c.data for c in children])
        else:
            value, partials = _call_per_entry(fn, op, children)
        return engine._node(value, children, partials, node_op)

    node_op = engine.Op(op, local_grads_fn)  # the nodes' op: its name, and the rule above
    op_of_values.op = op
    return op_of_values


def _call(fn: Callable, op: str, xs: list[float]) -> tuple[float, tuple[float, ...]]:
    """fn(*xs), its (value, partials) checked and turned into floats."""
    where = f"{op}({', '.join(map(repr, xs))})"
    result = fn(*xs)
    form = "return (value, (partial per argument, ...)), e.g. return y, (dy_dx,)"
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(f"@function {op}: {where} returned {_short(result)}; {form}")
    value, partials = result
    if len(xs) == 1 and isinstance(partials, numbers.Real):
        partials = (partials,)
    if not isinstance(partials, (tuple, list)):
        raise TypeError(f"@function {op}: {where} returned partials {_short(partials)}; {form}")
    if len(partials) != len(xs):
        raise ValueError(
            f"@function {op}: {where} returned {plural(len(partials), 'partial derivative')} "
            f"for {plural(len(xs), 'argument')}; return one partial per argument, in order"
        )
    numbers_ = [value, *partials]
    names = ["value"] + [f"partial {i + 1}" for i in range(len(partials))]
    for x, what in zip(numbers_, names):
        if isinstance(x, bool) or not isinstance(x, numbers.Real):
            raise TypeError(
                f"@function {op}: {where} returned {type(x).__name__} {_short(x)} as its {what}; "
                "it must be a number"
            )
    floats = [float(x) for x in numbers_]
    if all(math.isfinite(x) for x in xs):
        for x, what in zip(floats, names):
            if not math.isfinite(x):
                raise ValueError(
                    f"@function {op}: {where} returned {x!r} as its {what}; for finite arguments "
                    "the value and partials must be finite (raise a clear error in the function "
                    "for inputs outside its domain)"
                )
    return floats[0], tuple(floats[1:])


def _call_per_entry(fn: Callable, op: str, children: tuple) -> tuple:
    """fn on each example of a batch: arrays of values and partials."""
    import numpy as np

    lengths = {len(c.data) for c in children if not isinstance(c.data, float)}
    if len(lengths) > 1:
        raise ValueError(
            f"'{op}' node: batches of different lengths ({', '.join(map(str, sorted(lengths)))}); "
            "every batched operand needs one entry per example of the same batch"
        )
    (m,) = lengths
    rows = [
        _call(fn, op, [c.data if isinstance(c.data, float) else float(c.data[i]) for c in children])
        for i in range(m)
    ]
    value = np.array([r[0] for r in rows])
    partials = tuple(np.array([r[1][j] for r in rows]) for j in range(len(children)))
    return value, partials
