"""The Value engine: a scalar that remembers how it was computed.

Every operation on a :class:`Value` returns a new Value that records

* ``children``: its operands, in the order they were written (a tuple, so
  ``x + x`` has two children), and
* ``local_grads``: d(out)/d(child) for each child, in the same order, computed
  right next to the forward math.

``backward()`` then needs only one generic loop, ``child.grad += local *
node.grad``, over the nodes in reverse topological order. Drawings can label
each edge with its local derivative and derivation tools can print each factor
of the chain rule, because the factors are stored, not recomputed.

Each op reads as one method: the forward value, its local derivatives, its
domain checks. Errors are raised at forward time, never later in backward.
"""
from __future__ import annotations

import math
import numbers
from typing import Iterable, Sequence, Union

__all__ = ["Value"]

Number = Union[int, float]


def _short(obj: object, limit: int = 60) -> str:
    text = repr(obj)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _to_float(data: object, what: str) -> float:
    # numbers.Real covers int, float, bool, fractions and numpy's int/float scalars.
    if isinstance(data, numbers.Real):
        try:
            return float(data)
        except OverflowError:  # an int beyond 1.8e308
            raise OverflowError(f"{what}: {_short(data)} is too large for a float") from None
    kind = type(data).__name__
    if type(data).__module__ not in ("builtins", None):
        kind = f"{type(data).__module__.split('.')[0]}.{kind}"  # numpy.bool, not a bare 'bool'
    raise TypeError(
        f"{what} takes a real number (int, float or numpy scalar), got {kind} {_short(data)}; "
        "convert it first, for example float(x), or x.item() for a numpy array element"
    )


class Value:
    """A scalar in a computation graph, with its gradient.

    Args:
        data: the number. Stored as a Python float; ints, floats and numpy
            scalars are converted, anything else raises ``TypeError``.
        label: a name for drawings and derivations, such as ``"w1"``.

    Attributes:
        data: the value computed in the forward pass.
        grad: d(root)/d(this node) after ``root.backward()``; starts at 0.0.
        label: the name shown in drawings (may be changed at any time).
        op: the operation that produced this node (``""`` for a leaf).
        children: the operands, in the order written.
        local_grads: d(self)/d(child) for each child, in the same order.

    Example:
        >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        >>> c = a * b + a
        >>> c.backward()
        >>> c.data, a.grad, b.grad
        (-4.0, -2.0, 2.0)
    """

    __slots__ = ("data", "grad", "label", "op", "children", "local_grads")

    # Tell numpy to leave Values alone, so `np.float64(2) * v` calls v.__rmul__
    # instead of building an object array.
    __array_ufunc__ = None

    def __init__(self, data: Number, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__} {_short(label)}")
        self.data = _to_float(data, "Value(data)")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.children: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()

    @classmethod
    def _node(cls, data: float, children: tuple, local_grads: tuple, op: str) -> Value:
        """Make an interior node (no type checks: the ops have done them)."""
        out = cls.__new__(cls)
        out.data = data
        out.grad = 0.0
        out.label = ""
        out.op = op
        out.children = children
        out.local_grads = local_grads
        return out

    @property
    def is_leaf(self) -> bool:
        """True for a node no op produced: an input, a parameter or a constant."""
        return not self.children

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # ------------------------------------------------------------------ ops
    # Each op: forward value, local derivatives beside it, domain checks.
    # Reflected ops (`2 - x`) lift the number and call the plain op, so the
    # operands stay in the order they were written.

    def __add__(self, other: Value | Number) -> Value:
        """out = self + other.  d(out)/d(self) = 1, d(out)/d(other) = 1."""
        other = _lift(other, "+")
        return Value._node(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __radd__(self, other: Number) -> Value:
        return _lift(other, "+") + self

    def __sub__(self, other: Value | Number) -> Value:
        """out = self - other.  d(out)/d(self) = 1, d(out)/d(other) = -1."""
        other = _lift(other, "-")
        return Value._node(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __rsub__(self, other: Number) -> Value:
        return _lift(other, "-") - self

    def __mul__(self, other: Value | Number) -> Value:
        """out = self * other.  d(out)/d(self) = other, d(out)/d(other) = self."""
        other = _lift(other, "*")
        return Value._node(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __rmul__(self, other: Number) -> Value:
        return _lift(other, "*") * self

    def __truediv__(self, other: Value | Number) -> Value:
        """out = self / other.  d(out)/d(self) = 1/other, d(out)/d(other) = -self/other**2."""
        other = _lift(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(
                f"'/' node: {self.data!r} / {other.data!r} divides by zero; "
                "make sure the divisor cannot be 0 (for example add a small epsilon)"
            )
        out = self.data / other.data
        return Value._node(out, (self, other), (1.0 / other.data, -out / other.data), "/")

    def __rtruediv__(self, other: Number) -> Value:
        return _lift(other, "/") / self

    def __neg__(self) -> Value:
        """out = -self.  d(out)/d(self) = -1."""
        return Value._node(-self.data, (self,), (-1.0,), "neg")

    def __pos__(self) -> Value:
        return self

    def __pow__(self, exponent: Value | Number) -> Value:
        """out = self ** k for a number k, or self ** y for a Value y.

        Number exponent k (one child, op ``**k``):
            d(out)/d(self) = k * self**(k-1).
        Value exponent y (two children, op ``**``):
            d(out)/d(self) = y * self**(y-1), d(out)/d(y) = self**y * log(self).

        Raises:
            ValueError: a negative base with a non-integer exponent (the result
                would be complex); ``0 ** k`` with 0 <= k < 1 (infinite
                derivative); a base <= 0 with a Value exponent (log undefined).
            ZeroDivisionError: ``0 ** k`` with k < 0.
        """
        if isinstance(exponent, Value):
            return self._pow_value(exponent)
        if not isinstance(exponent, numbers.Real):
            raise TypeError(
                f"'**' node: the exponent must be a number or a Value, got "
                f"{type(exponent).__name__} {_short(exponent)}"
            )
        k = int(exponent) if isinstance(exponent, numbers.Integral) else float(exponent)
        x = self.data
        if x < 0.0 and not float(k).is_integer():
            raise ValueError(
                f"'**{k!r}' node: {x!r} ** {k!r} has a negative base and a non-integer "
                "exponent, so the result would be complex; keep the base positive "
                "(for example use abs or exp/log) or use an integer exponent"
            )
        if x == 0.0 and k < 1:
            if k < 0:
                raise ZeroDivisionError(
                    f"'**{k!r}' node: 0.0 ** {k!r} divides by zero; keep the base away from 0"
                )
            raise ValueError(
                f"'**{k!r}' node: 0.0 ** {k!r} has an infinite or undefined derivative "
                f"k * x**(k-1) at x = 0; keep the base away from 0 (for example add a small epsilon)"
            )
        try:
            out = float(x**k)
            local = 0.0 if k == 0 else float(k * x ** (k - 1))
        except OverflowError:
            out = local = math.inf
        if math.isfinite(x) and (math.isinf(out) or math.isinf(local)):
            raise OverflowError(
                f"'**{k!r}' node: {x!r} ** {k!r} or its derivative overflows a float; rescale the input"
            )
        return Value._node(out, (self,), (local,), f"**{k!r}")

    def _pow_value(self, y: Value) -> Value:
        x = self.data
        if x <= 0.0:
            raise ValueError(
                f"'**' node: {x!r} ** Value({y.data!r}) needs a positive base, because "
                "d(out)/d(exponent) = x**y * log(x); for a zero or negative base use a "
                "plain number as the exponent (x ** 2)"
            )
        try:
            out = x**y.data
            local_x = 0.0 if y.data == 0.0 else y.data * x ** (y.data - 1.0)
            local_y = out * math.log(x)
        except OverflowError:
            out = local_x = local_y = math.inf
        if math.isfinite(x) and math.isfinite(y.data) and math.inf in (abs(out), abs(local_x), abs(local_y)):
            raise OverflowError(
                f"'**' node: {x!r} ** {y.data!r} or its derivatives overflow a float; rescale the inputs"
            )
        return Value._node(out, (self, y), (local_x, local_y), "**")

    def __rpow__(self, base: Number) -> Value:
        return _lift(base, "**") ** self

    def exp(self) -> Value:
        """out = e**self.  d(out)/d(self) = out."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"'exp' node: exp({self.data!r}) overflows a float (inputs above about "
                "709.78 do); rescale the input, or use sigmoid/tanh, which never overflow"
            ) from None
        return Value._node(out, (self,), (out,), "exp")

    def log(self) -> Value:
        """out = ln(self).  d(out)/d(self) = 1/self.  Needs self > 0."""
        x = self.data
        if not x > 0.0:
            raise ValueError(
                f"'log' node: log({x!r}) is undefined, log needs an input > 0; "
                "clip the input away from 0 or compute the loss from logits"
            )
        return Value._node(math.log(x), (self,), (1.0 / x,), "log")

    def tanh(self) -> Value:
        """out = tanh(self).  d(out)/d(self) = 1 - out**2.

        The derivative is computed as (1 + |out|) * (1 - |out|), each factor
        from e = exp(-2|self|) as 2/(1 + e) and 2e/(1 + e): the same number,
        but with full relative precision in the tails, where 1 - out**2 rounds
        to 0 (from |self| > 19). math.tanh saturates cleanly to +-1, and
        exp(-2|self|) never overflows.
        """
        e = math.exp(-2.0 * abs(self.data))
        local = (2.0 / (1.0 + e)) * (2.0 * e / (1.0 + e))
        return Value._node(math.tanh(self.data), (self,), (local,), "tanh")

    def sigmoid(self) -> Value:
        """out = 1 / (1 + e**-self).  d(out)/d(self) = out * (1 - out).

        With e = exp(-|self|), sigmoid(|self|) = 1/(1 + e) and sigmoid(-|self|)
        = e/(1 + e): exp only ever sees -|self|, so nothing overflows for any
        finite input. The derivative is their product, out * (1 - out) without
        the cancellation in 1 - out that loses its digits for large inputs.
        """
        x = self.data
        e = math.exp(-abs(x))
        upper, lower = 1.0 / (1.0 + e), e / (1.0 + e)
        return Value._node(upper if x >= 0.0 else lower, (self,), (upper * lower,), "sigmoid")

    def relu(self) -> Value:
        """out = max(0, self).  d(out)/d(self) = 1 if self > 0 else 0 (0 at 0, as PyTorch).

        NaN stays NaN, so a broken input is not silently turned into 0.
        """
        x = self.data
        if x > 0.0:
            out, local = x, 1.0
        elif x <= 0.0:
            out, local = 0.0, 0.0
        else:  # NaN
            out, local = x, x
        return Value._node(out, (self,), (local,), "relu")

    @staticmethod
    def sum(values: Iterable[Value | Number]) -> Value:
        """out = v1 + v2 + ... + vn as one node.  d(out)/d(vi) = 1.

        One n-ary node instead of a chain of n-1 '+' nodes: a shallower graph,
        and drawings show a sum the way it is written on paper.
        """
        children = tuple(_lift(v, "sum") for v in values)
        if not children:
            raise ValueError("Value.sum() got no values; pass at least one Value or number")
        total = 0.0
        for child in children:
            total += child.data
        return Value._node(total, children, (1.0,) * len(children), "sum")

    @staticmethod
    def weighted_sum(
        weights: Sequence[Value], inputs: Sequence[Value | Number], bias: Value | Number | None = None
    ) -> Value:
        """out = w1*x1 + w2*x2 + ... + wn*xn (+ b) as one node (op ``wsum``).

        d(out)/d(wi) = xi, d(out)/d(xi) = wi, d(out)/d(b) = 1.

        Children are (w1, x1, w2, x2, ..., b), in the order the sum is written.
        This is a neuron's pre-activation: document 001's ``sum_h1``.
        """
        if len(weights) != len(inputs):
            raise ValueError(
                f"'wsum' node: {len(weights)} weights but {len(inputs)} inputs; "
                "pass one input per weight"
            )
        children: list[Value] = []
        local_grads: list[float] = []
        total = 0.0
        for w, x in zip(weights, inputs):
            w, x = _lift(w, "wsum"), _lift(x, "wsum")
            total += w.data * x.data
            children += (w, x)
            local_grads += (x.data, w.data)
        if bias is not None:
            b = _lift(bias, "wsum")
            total += b.data
            children.append(b)
            local_grads.append(1.0)
        return Value._node(total, tuple(children), tuple(local_grads), "wsum")

    # ------------------------------------------------------------ backprop

    def topological_order(self) -> list[Value]:
        """Every node of this Value's graph, each after all of its children.

        Built by an iterative depth-first search (no recursion, so a chain of
        a million nodes is fine) that follows children in their stored order,
        so the order is the same on every run. The root is last.
        """
        order: list[Value] = []
        visited = {self}
        stack = [(self, iter(self.children))]
        while stack:
            node, pending = stack[-1]
            for child in pending:
                if child not in visited:
                    visited.add(child)
                    stack.append((child, iter(child.children)))
                    break
            else:
                stack.pop()
                order.append(node)
        return order

    def backward(self) -> None:
        """Fill in ``grad`` = d(self)/d(node) for every node of the graph.

        Interior nodes (those an op produced) are reset to 0 first, so after
        each call their grads are exactly those of this call. Leaves (inputs,
        parameters, constants) accumulate across calls, as in PyTorch: call
        ``zero_grad()`` (or an optimizer's) between steps. The root is seeded
        with 1.0 (a leaf root accumulates 1.0).
        """
        order = self.topological_order()
        for node in order:
            if node.children:
                node.grad = 0.0
        if self.children:
            self.grad = 1.0
        else:
            self.grad += 1.0
        for node in reversed(order):
            grad = node.grad
            for child, local in zip(node.children, node.local_grads):
                child.grad += local * grad

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on every node of this Value's graph, leaves included."""
        for node in self.topological_order():
            node.grad = 0.0


def _lift(other: object, op: str) -> Value:
    """A Value as is; a number as a constant leaf; anything else a TypeError."""
    if isinstance(other, Value):
        return other
    if isinstance(other, numbers.Real):
        return Value(other)
    raise TypeError(
        f"'{op}' node: unsupported operand {type(other).__name__} {_short(other)}; "
        "operands must be Values or real numbers (int, float, numpy scalar)"
    )
