"""The Value engine: a scalar that remembers how it was computed.

Every operation on a :class:`Value` returns a new Value that records

* ``children``: its operands, in the order they were written (a tuple, so
  ``x + x`` has two children),
* ``local_grads``: d(out)/d(child) for each child, in the same order, computed
  right next to the forward math, and
* ``op``: the op's name, an :class:`Op` (a str) that carries the op's rule,
  written right under the op, that rebuilds those local derivatives as Values
  from the node and its children (tanh's is ``1 - out**2``): the node's
  ``local_grads_fn``. Nothing on the first-order path calls it, and a node pays
  nothing for it (one Op per op, not a slot per node);
  ``grad(..., create_graph=True)`` (micrograd_nn.autodiff) does, so that the
  backward pass is a graph of the same ops and can be differentiated again.

``backward()`` then needs only one generic loop, ``child.grad += local *
node.grad``, over the nodes in reverse topological order. Drawings can label
each edge with its local derivative and derivation tools can print each factor
of the chain rule, because the factors are stored, not recomputed.

Each op reads as one method: the forward value, its local derivatives, its
domain checks. Errors are raised at forward time, never later in backward.

Batches. A Value's ``data`` is a Python float, or, for a batched Value, a 1-D
numpy float64 array with one entry per example (make one with
:meth:`Value.batch`): the same scalar graph, evaluated for a whole batch at
once. Ops act entry by entry; a scalar that meets a batch (a parameter, a
constant) is shared by every example. Each op computes with ``math`` on floats
and with numpy on batches, side by side in the same method, so the local
derivatives are written once; floats stay the fast path, and numpy is only
imported once a batch exists. In ``backward()`` a batched node passes each
example's contribution down, and a scalar child shared by the batch gets their
sum: exactly the sum of the per-example graphs' gradients, up to float rounding.
``total()`` and ``mean()`` reduce a batch to a scalar (the losses do it), and
the root of ``backward()`` must be a scalar.
"""
from __future__ import annotations

import gc
import math
import numbers
from typing import Callable, Iterable, Sequence, Union

__all__ = ["Op", "Value"]

Number = Union[int, float]

_new_object = object.__new__  # a Value without __init__'s checks, for the ops' results


class Op(str):
    """An op's name, as ``node.op`` and the drawings show it (it is a str), that
    carries the op's rule for its local derivatives as Values.

    ``Op("*", rule)``: ``rule(node)`` returns ``node.local_grads`` rebuilt as
    Values (or constant floats) from the node and its children, for
    ``grad(..., create_graph=True)``. Each op makes its Op once, beside its
    method, so a node holds the rule through its ``op`` at no cost per node.
    """

    def __new__(cls, name: str, local_grads_fn: Callable[[Value], tuple] | None = None) -> Op:
        op = super().__new__(cls, name)
        op.local_grads_fn = local_grads_fn
        return op


def _short(obj: object, limit: int = 60) -> str:
    text = repr(obj)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _to_float(data: object, what: str) -> float:
    if data.__class__ is float:  # the common case, without the slower check below
        return data
    # numbers.Real covers int, float, bool, fractions and numpy's int/float scalars.
    if isinstance(data, numbers.Real):
        try:
            return float(data)
        except OverflowError:  # an int beyond 1.8e308
            raise OverflowError(f"{what}: {_short(data)} is too large for a float") from None
    kind = type(data).__name__
    if type(data).__module__ not in ("builtins", None):
        kind = f"{type(data).__module__.split('.')[0]}.{kind}"  # numpy.bool, not a bare 'bool'
    hint = "convert it first, for example float(x), or x.item() for a numpy array element"
    if kind == "numpy.ndarray":
        hint += "; for a batch (one number per example) use Value.batch(array)"
    raise TypeError(
        f"{what} takes a real number (int, float or numpy scalar), got {kind} {_short(data)}; {hint}"
    )


class Value:
    """A scalar in a computation graph, with its gradient; or a batch of them.

    Args:
        data: the number. Stored as a Python float; ints, floats and numpy
            scalars are converted, anything else raises ``TypeError``. For a
            batch (one number per example) use :meth:`Value.batch`.
        label: a name for drawings and derivations, such as ``"w1"``.

    Attributes:
        data: the value computed in the forward pass (a float; for a batched
            Value a 1-D numpy float64 array, one entry per example).
        grad: d(root)/d(this node) after ``root.backward()``; starts at 0.0.
            A scalar's grad is a float; a batched node's is an array of the
            same length after ``backward()`` (0.0 before, and after ``zero_grad()``).
        label: the name shown in drawings (may be changed at any time).
        op: the operation that produced this node (``""`` for a leaf), an
            :class:`Op` (a str) for an op's result.
        children: the operands, in the order written.
        local_grads: d(self)/d(child) for each child, in the same order
            (floats, or arrays where a batch is involved).
        local_grads_fn: (read-only, from ``op``) the op's rule, written beside
            it, that rebuilds ``local_grads`` as Values from this node and its
            children (``local_grads_fn(node)``), so that ``grad(...,
            create_graph=True)`` can differentiate the backward pass again;
            ``None`` for a leaf.

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
        self.data = data if data.__class__ is float else _to_float(data, "Value(data)")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.children: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()

    @classmethod
    def batch(cls, data: Sequence[Number], label: str = "") -> Value:
        """A batched leaf: one number per example, such as one column of a data set.

        Args:
            data: a 1-D numpy array or list of real numbers, at least one. It
                is copied into a read-only float64 array, so changing ``data``
                afterwards does not change the graph (make a new leaf instead).
            label: as for ``Value``.

        Example:
            >>> x = Value.batch([1.0, 2.0, 3.0], label="x")
            >>> w = Value(0.5, label="w")
            >>> loss = (w * x).mean()       # mean over the batch of w * x_i
            >>> loss.backward()
            >>> loss.data, w.grad, x.grad.tolist()
            (1.0, 2.0, [0.16666666666666666, 0.16666666666666666, 0.16666666666666666])
        """
        import numpy as np

        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__} {_short(label)}")
        if isinstance(data, (Value, str, bytes)):
            raise TypeError(
                f"Value.batch takes a 1-D array or list of real numbers, got {type(data).__name__} "
                f"{_short(data)}"
            )
        try:
            array = np.array(data)  # a copy
        except ValueError:  # ragged nested lists
            raise ValueError(
                "Value.batch takes a 1-D array or list of real numbers, got nested lists of "
                "different lengths"
            ) from None
        if array.dtype.kind not in "biuf":
            raise TypeError(
                f"Value.batch takes a 1-D array or list of real numbers, got {type(data).__name__} "
                f"of dtype {array.dtype} {_short(data)}"
            )
        if array.ndim != 1 or array.size == 0:
            raise ValueError(
                f"Value.batch takes a 1-D array with one number per example, at least one; got "
                f"shape {array.shape}; for a data set X of shape (m, n) pass one column, X[:, k]"
            )
        array = array.astype(np.float64, copy=False)
        array.flags.writeable = False  # ops keep references to it (as local derivatives)
        out = cls.__new__(cls)
        out.data = array
        out.grad = 0.0
        out.label = label
        out.op = ""
        out.children = ()
        out.local_grads = ()
        return out

    @property
    def local_grads_fn(self) -> Callable[[Value], tuple] | None:
        """The rule that rebuilds ``local_grads`` as Values (its op's); None for a leaf."""
        return getattr(self.op, "local_grads_fn", None)

    @property
    def is_leaf(self) -> bool:
        """True for a node no op produced: an input, a parameter or a constant."""
        return not self.children

    @property
    def is_batched(self) -> bool:
        """True when ``data`` is a batch (an array, one entry per example), not a float."""
        return not isinstance(self.data, float)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={_brief(self.data)}, grad={_brief(self.grad)}{label})"

    # ------------------------------------------------------------------ ops
    # Each op: forward value, local derivatives beside it, domain checks.
    # Reflected ops (`2 - x`) lift the number and call the plain op, so the
    # operands stay in the order they were written. Where a float and an
    # array need different functions (math.exp, numpy.exp), the op has one
    # branch for each; the derivative is written once.
    #
    # Under each op that needs one, its local derivatives once more, as Values
    # built from the node and its children with the same ops (``_mul_grads``
    # beside ``__mul__``, and its Op, ``_MUL``, under them): ``grad(...,
    # create_graph=True)`` calls the rule the node's op carries, so the backward
    # pass becomes a graph of its own.

    def _constant_grads(out: Value) -> tuple:
        """The rule of an op whose local derivatives are constants, the same
        floats at any input (+, -, neg, sum, total, mean; relu's 0 or 1 is
        constant on each side of 0): its second derivatives are 0."""
        return out.local_grads

    def __add__(self, other: Value | Number) -> Value:
        """out = self + other.  d(out)/d(self) = 1, d(out)/d(other) = 1."""
        other = _operand(self, other, "+")
        return _node(self.data + other.data, (self, other), (1.0, 1.0), _ADD)

    _ADD = Op("+", _constant_grads)

    def __radd__(self, other: Number) -> Value:
        return _lift(other, "+") + self

    def __sub__(self, other: Value | Number) -> Value:
        """out = self - other.  d(out)/d(self) = 1, d(out)/d(other) = -1."""
        other = _operand(self, other, "-")
        return _node(self.data - other.data, (self, other), (1.0, -1.0), _SUB)

    _SUB = Op("-", _constant_grads)

    def __rsub__(self, other: Number) -> Value:
        return _lift(other, "-") - self

    def __mul__(self, other: Value | Number) -> Value:
        """out = self * other.  d(out)/d(self) = other, d(out)/d(other) = self."""
        other = _operand(self, other, "*")
        return _node(self.data * other.data, (self, other), (other.data, self.data), _MUL)

    def _mul_grads(out: Value) -> tuple:
        """'*' as Values: (other, self), the operands themselves."""
        x, y = out.children
        return y, x

    _MUL = Op("*", _mul_grads)

    def __rmul__(self, other: Number) -> Value:
        return _lift(other, "*") * self

    def __truediv__(self, other: Value | Number) -> Value:
        """out = self / other.  d(out)/d(self) = 1/other, d(out)/d(other) = -self/other**2."""
        other = _operand(self, other, "/")
        x, y = self.data, other.data
        if isinstance(y, float):
            if y == 0.0:
                raise ZeroDivisionError(
                    f"'/' node: {_short(x)} / {y!r} divides by zero; "
                    "make sure the divisor cannot be 0 (for example add a small epsilon)"
                )
        elif (y == 0.0).any():
            raise ZeroDivisionError(
                f"'/' node: the divisor is 0 {_entries(y == 0.0, '{} / 0.0', x)}; "
                "make sure the divisor cannot be 0 (for example add a small epsilon)"
            )
        out = x / y
        return _node(out, (self, other), (1.0 / y, -out / y), _DIV)

    def _div_grads(out: Value) -> tuple:
        """'/' as Values: (1 / other, -out / other)."""
        y = out.children[1]
        return 1.0 / y, -out / y

    _DIV = Op("/", _div_grads)

    def __rtruediv__(self, other: Number) -> Value:
        return _lift(other, "/") / self

    def __neg__(self) -> Value:
        """out = -self.  d(out)/d(self) = -1."""
        return _node(-self.data, (self,), (-1.0,), _NEG)

    _NEG = Op("neg", _constant_grads)

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
                would be complex); ``0 ** k`` with 0 < k < 1 (infinite
                derivative); a base <= 0 with a Value exponent (log undefined).
            ZeroDivisionError: ``0 ** k`` with k < 0.
            (``0 ** 0`` is 1 with derivative 0, as in Python and PyTorch.)
            For a batch, the message lists the entries that break the rule.
        """
        if isinstance(exponent, Value):
            return self._pow_value(exponent)
        if exponent.__class__ is int or exponent.__class__ is float:
            k = exponent
        elif isinstance(exponent, numbers.Integral):
            k = int(exponent)
        elif isinstance(exponent, numbers.Real):
            k = float(exponent)
        else:
            raise TypeError(
                f"'**' node: the exponent must be a number or a Value, got "
                f"{type(exponent).__name__} {_short(exponent)}"
            )
        x = self.data
        if isinstance(x, float):
            if x < 0.0 and not float(k).is_integer():
                raise ValueError(
                    f"'**{k!r}' node: {x!r} ** {k!r} has a negative base and a non-integer "
                    "exponent, so the result would be complex; keep the base positive "
                    "(for example use abs or exp/log) or use an integer exponent"
                )
            if x == 0.0 and k < 1 and k != 0:  # 0 ** 0 is 1, with derivative 0, as Python's
                if k < 0:
                    raise ZeroDivisionError(
                        f"'**{k!r}' node: 0.0 ** {k!r} divides by zero; keep the base away from 0"
                    )
                raise ValueError(
                    f"'**{k!r}' node: 0.0 ** {k!r} has an infinite or undefined derivative "
                    f"k * x**(k-1) at x = 0; keep the base away from 0 (for example add a small epsilon)"
                )
            try:
                out = x**k  # a float: a negative base has an integer exponent here
                local = 0.0 if k == 0 else k * x ** (k - 1)
            except OverflowError:
                out = local = math.inf
            if math.isfinite(x) and (math.isinf(out) or math.isinf(local)):
                raise OverflowError(
                    f"'**{k!r}' node: {x!r} ** {k!r} or its derivative overflows a float; "
                    "rescale the input"
                )
        else:  # a batch: the same rules, entry by entry
            import numpy as np

            if not float(k).is_integer() and (x < 0.0).any():
                raise ValueError(
                    f"'**{k!r}' node: the base is negative {_entries(x < 0.0, '{} ** ' + repr(k), x)} "
                    "with a non-integer exponent, so the result would be complex; keep the base "
                    "positive (for example use abs or exp/log) or use an integer exponent"
                )
            if k < 1 and k != 0 and (x == 0.0).any():
                where = _entries(x == 0.0, "0.0 ** " + repr(k))
                if k < 0:
                    raise ZeroDivisionError(
                        f"'**{k!r}' node: the base is 0 {where}, which divides by zero; "
                        "keep the base away from 0"
                    )
                raise ValueError(
                    f"'**{k!r}' node: the base is 0 {where}, where the derivative k * x**(k-1) is "
                    "infinite or undefined; keep the base away from 0 (for example add a small epsilon)"
                )
            with np.errstate(over="ignore"):
                out = x**k
                local = 0.0 if k == 0 else k * x ** (k - 1)
            overflow = np.isfinite(x) & (np.isinf(out) | np.isinf(local))
            if overflow.any():
                raise OverflowError(
                    f"'**{k!r}' node: the result or its derivative overflows a float "
                    f"{_entries(overflow, '{} ** ' + repr(k), x)}; rescale the input"
                )
        return _node(out, (self,), (local,), _pow_op(k))

    def _pow_grads(out: Value) -> tuple:
        """'**k' as Values: (k * self**(k-1),); 0 for k = 0 and 1 for k = 1, as constants.
        The exponent k is read back from the op's name, where it is written exactly (repr)."""
        text = out.op[2:]
        k = int(text) if text.lstrip("-").isdigit() else float(text)
        x = out.children[0]
        if k == 0 or k == 1:
            return (float(k),)
        if k == 2:
            return (2.0 * x,)  # as a hand derivation writes it, not 2 * x**1
        return (k * x ** (k - 1),)

    def _pow_value(self, y: Value) -> Value:
        x, e = self.data, y.data
        if isinstance(x, float) and isinstance(e, float):
            if x <= 0.0:
                raise ValueError(
                    f"'**' node: {x!r} ** Value({e!r}) needs a positive base, because "
                    "d(out)/d(exponent) = x**y * log(x); for a zero or negative base use a "
                    "plain number as the exponent (x ** 2)"
                )
            try:
                out = x**e
                local_x = 0.0 if e == 0.0 else e * x ** (e - 1.0)
                local_y = out * math.log(x)
            except OverflowError:
                out = local_x = local_y = math.inf
            overflow = math.isfinite(x) and math.isfinite(e) and math.inf in (
                abs(out), abs(local_x), abs(local_y)
            )
        else:  # a batch in the base, the exponent or both: the same rules, entry by entry
            import numpy as np

            _same_length("**", (self, y))
            if np.any(x <= 0.0):
                where = f"({x!r})" if isinstance(x, float) else _entries(x <= 0.0, '{}', x)
                raise ValueError(
                    f"'**' node: the base is <= 0 {where}, but it must be positive, because "
                    "d(out)/d(exponent) = x**y * log(x); for a zero or negative base use a plain "
                    "number as the exponent (x ** 2)"
                )
            with np.errstate(over="ignore", invalid="ignore"):
                out = x**e
                local_x = np.where(e == 0.0, 0.0, e * x ** (e - 1.0))
                local_y = out * np.log(x)
            overflow = np.isfinite(x) & np.isfinite(e) & (
                np.isinf(out) | np.isinf(local_x) | np.isinf(local_y)
            )
            overflow = overflow.any()
        if overflow:
            raise OverflowError(
                f"'**' node: {_short(x)} ** {_short(e)} or its derivatives overflow a float; "
                "rescale the inputs"
            )
        return _node(out, (self, y), (local_x, local_y), _POW_VALUE)

    def _pow_value_grads(out: Value) -> tuple:
        """'**' as Values: (y * self**(y-1), out * log(self))."""
        x, y = out.children
        return y * x ** (y - 1.0), out * x.log()

    _POW_VALUE = Op("**", _pow_value_grads)

    def __rpow__(self, base: Number) -> Value:
        return _lift(base, "**") ** self

    def exp(self) -> Value:
        """out = e**self.  d(out)/d(self) = out."""
        x = self.data
        if isinstance(x, float):
            try:
                out = math.exp(x)
            except OverflowError:
                raise OverflowError(
                    f"'exp' node: exp({x!r}) overflows a float (inputs above about "
                    "709.78 do); rescale the input, or use sigmoid/tanh, which never overflow"
                ) from None
        else:
            import numpy as np

            with np.errstate(over="ignore"):
                out = np.exp(x)
            overflow = np.isinf(out) & np.isfinite(x)
            if overflow.any():
                raise OverflowError(
                    f"'exp' node: exp overflows a float {_entries(overflow, 'exp({})', x)} "
                    "(inputs above about 709.78 do); rescale the input, or use sigmoid/tanh, "
                    "which never overflow"
                )
        return _node(out, (self,), (out,), _EXP)

    def _exp_grads(out: Value) -> tuple:
        """'exp' as Values: (out,), the node itself."""
        return (out,)

    _EXP = Op("exp", _exp_grads)

    def log(self) -> Value:
        """out = ln(self).  d(out)/d(self) = 1/self.  Needs self > 0."""
        x = self.data
        if isinstance(x, float):
            if not x > 0.0:
                raise ValueError(
                    f"'log' node: log({x!r}) is undefined, log needs an input > 0; "
                    "clip the input away from 0 or compute the loss from logits"
                )
            out = math.log(x)
        else:
            import numpy as np

            outside = ~(x > 0.0)  # NaN too
            if outside.any():
                raise ValueError(
                    f"'log' node: log is undefined {_entries(outside, 'log({})', x)}, "
                    "log needs inputs > 0; clip the input away from 0 or compute the loss from logits"
                )
            out = np.log(x)
        return _node(out, (self,), (1.0 / x,), _LOG)

    def _log_grads(out: Value) -> tuple:
        """'log' as Values: (1 / self,)."""
        return (1.0 / out.children[0],)

    _LOG = Op("log", _log_grads)

    def tanh(self) -> Value:
        """out = tanh(self).  d(out)/d(self) = 1 - out**2.

        The derivative is computed as (1 + |out|) * (1 - |out|), each factor
        from e = exp(-2|self|) as 2/(1 + e) and 2e/(1 + e): the same number,
        but with full relative precision in the tails, where 1 - out**2 rounds
        to 0 (from |self| > 19). math.tanh saturates cleanly to +-1, and
        exp(-2|self|) never overflows.
        """
        x = self.data
        if isinstance(x, float):
            e = math.exp(-2.0 * abs(x))
            out = math.tanh(x)
        else:
            import numpy as np

            e = np.exp(-2.0 * abs(x))
            out = np.tanh(x)
        local = (2.0 / (1.0 + e)) * (2.0 * e / (1.0 + e))
        return _node(out, (self,), (local,), _TANH)

    def _tanh_grads(out: Value) -> tuple:
        """'tanh' as Values: (1 - out**2,)."""
        return (1.0 - out**2,)

    _TANH = Op("tanh", _tanh_grads)

    def sigmoid(self) -> Value:
        """out = 1 / (1 + e**-self).  d(out)/d(self) = out * (1 - out).

        With e = exp(-|self|), sigmoid(|self|) = 1/(1 + e) and sigmoid(-|self|)
        = e/(1 + e): exp only ever sees -|self|, so nothing overflows for any
        finite input. The derivative is their product, out * (1 - out) without
        the cancellation in 1 - out that loses its digits for large inputs.
        """
        x = self.data
        if isinstance(x, float):
            e = math.exp(-abs(x))
            upper, lower = 1.0 / (1.0 + e), e / (1.0 + e)
            out = upper if x >= 0.0 else lower
        else:
            import numpy as np

            e = np.exp(-abs(x))
            upper, lower = 1.0 / (1.0 + e), e / (1.0 + e)
            out = np.where(x >= 0.0, upper, lower)
        return _node(out, (self,), (upper * lower,), _SIGMOID)

    def _sigmoid_grads(out: Value) -> tuple:
        """'sigmoid' as Values: (out * (1 - out),)."""
        return (out * (1.0 - out),)

    _SIGMOID = Op("sigmoid", _sigmoid_grads)

    def relu(self) -> Value:
        """out = max(0, self).  d(out)/d(self) = 1 if self > 0 else 0 (0 at 0, as PyTorch).

        NaN stays NaN, so a broken input is not silently turned into 0.
        """
        x = self.data
        if isinstance(x, float):
            if x > 0.0:
                out, local = x, 1.0
            elif x <= 0.0:
                out, local = 0.0, 0.0
            else:  # NaN
                out, local = x, x
        else:
            import numpy as np

            out = np.maximum(x, 0.0)  # NaN stays NaN
            local = np.sign(out)  # 1 where x > 0, 0 where x <= 0, NaN where NaN
        return _node(out, (self,), (local,), _RELU)

    _RELU = Op("relu", _constant_grads)

    @staticmethod
    def sum(values: Iterable[Value | Number]) -> Value:
        """out = v1 + v2 + ... + vn as one node.  d(out)/d(vi) = 1.

        One n-ary node instead of a chain of n-1 '+' nodes: a shallower graph,
        and drawings show a sum the way it is written on paper. (Several
        batches add entry by entry; to add up the entries of one batch, use
        ``v.total()``.) The sum of nothing is a constant 0, as Python's
        ``sum([])`` and PyTorch's.
        """
        if isinstance(values, (Value, str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError(
                f"Value.sum() takes an iterable (a list) of Values or numbers, got "
                f"{type(values).__name__}; to add up the entries of one batch, use v.total()"
            )
        children = tuple([v if isinstance(v, Value) else _lift(v, "sum") for v in values])
        if not children:  # an empty sum is 0, as Python's sum([]) and PyTorch's
            return _node(0.0, (), (), "")
        total = 0.0
        try:
            for child in children:
                total += child.data
        except ValueError:  # numpy could not broadcast two batches
            _same_length("sum", children)
            raise
        if not isinstance(total, float):
            _same_length("sum", children)
        return _node(total, children, (1.0,) * len(children), _SUM)

    _SUM = Op("sum", _constant_grads)

    @staticmethod
    def weighted_sum(
        weights: Sequence[Value], inputs: Sequence[Value | Number], bias: Value | Number | None = None
    ) -> Value:
        """out = w1*x1 + w2*x2 + ... + wn*xn (+ b) as one node (op ``wsum``).

        d(out)/d(wi) = xi, d(out)/d(xi) = wi, d(out)/d(b) = 1.

        Children are (w1, x1, w2, x2, ..., b), in the order the sum is written.
        This is a neuron's pre-activation: document 001's ``sum_h1``.
        """
        try:
            n_weights, n_inputs = len(weights), len(inputs)
        except TypeError:
            what, items = ("weights", weights) if not hasattr(weights, "__len__") else ("inputs", inputs)
            raise TypeError(
                f"'wsum' node: {what} must be a list of Values or numbers, got "
                f"{type(items).__name__} {_short(items)}"
            ) from None
        if n_weights != n_inputs:
            raise ValueError(
                f"'wsum' node: {n_weights} weight{'s' if n_weights != 1 else ''} but {n_inputs} "
                f"input{'s' if n_inputs != 1 else ''}; pass one input per weight"
            )
        children: list[Value] = []
        local_grads: list[float] = []
        total = 0.0
        try:
            for w, x in zip(weights, inputs):
                if w.__class__ is not Value:  # a number (a Value subclass comes back as is)
                    w = _lift(w, "wsum")
                if x.__class__ is not Value:
                    x = _lift(x, "wsum")
                total += w.data * x.data
                children.append(w)
                children.append(x)
                local_grads.append(x.data)
                local_grads.append(w.data)
            if bias is not None:
                b = bias if isinstance(bias, Value) else _lift(bias, "wsum")
                total += b.data
                children.append(b)
                local_grads.append(1.0)
        except ValueError:  # numpy could not broadcast two batches
            _same_length("wsum", [*weights, *inputs, *([bias] if isinstance(bias, Value) else [])])
            raise
        if not isinstance(total, float):
            _same_length("wsum", children)
        return _node(total, tuple(children), tuple(local_grads), _WSUM)

    def _wsum_grads(out: Value) -> tuple:
        """'wsum' as Values: (x1, w1, x2, w2, ..., 1): each weight's input, each input's weight."""
        children = out.children
        grads: list = []
        for i in range(0, len(children) - 1, 2):
            grads.append(children[i + 1])
            grads.append(children[i])
        if len(children) % 2:  # the bias
            grads.append(1.0)
        return tuple(grads)

    _WSUM = Op("wsum", _wsum_grads)

    def total(self) -> Value:
        """out = x_1 + x_2 + ... + x_m, the sum over a batch's entries.  d(out)/d(x_i) = 1.

        A scalar Value is its own total (returned as is).
        """
        x = self.data
        if isinstance(x, float):
            return self
        import numpy as np

        return _node(float(x.sum()), (self,), (np.ones(len(x)),), _TOTAL)

    _TOTAL = Op("total", _constant_grads)

    def mean(self) -> Value:
        """out = (x_1 + ... + x_m) / m, the mean over a batch's entries.  d(out)/d(x_i) = 1/m.

        A scalar Value is its own mean (returned as is).
        """
        x = self.data
        if isinstance(x, float):
            return self
        import numpy as np

        m = len(x)
        local = np.full(m, 1.0 / m)
        return _node(float(x.sum()) / m, (self,), (local,), _MEAN)

    # ------------------------------------------------------------ backprop

    _MEAN = Op("mean", _constant_grads)

    def topological_order(self, leaves: bool = True) -> list[Value]:
        """Every node of this Value's graph, each after all of its children.

        Built by an iterative depth-first search (no recursion, so a chain of
        a million nodes is fine) that follows children in their stored order,
        so the order is the same on every run. The root is last.

        The search keeps one iterator per node on its path, as many as the
        graph is deep. Python's cyclic garbage collector counts each as a new
        object and, for a deep graph, would re-scan every node alive several
        times over: ``backward()`` on a chain of 10^6 nodes took 1.2 s with
        it, 0.7 s without. The search creates no reference cycles, so the
        collector is paused while it runs (and left as it was: a collector
        the caller paused stays paused). The switch is global: a thread that
        pauses the collector while another thread's search runs will find it
        back on when that search ends.

        Args:
            leaves: False leaves out the leaves (inputs, parameters, constants),
                as ``backward()`` does: they have nothing to pass on.
        """
        if not self.children:
            return [self] if leaves else []
        if not gc.isenabled():
            return self._depth_first(leaves)
        gc.disable()
        try:
            return self._depth_first(leaves)
        finally:
            gc.enable()

    def _depth_first(self, leaves: bool) -> list[Value]:
        """``topological_order`` for an interior node, the collector as it is."""
        order: list[Value] = []
        visited = {self}
        path = [self]  # the nodes being visited, the root first
        pending = [iter(self.children)]  # for each of them, the children still to look at
        while pending:
            for child in pending[-1]:
                if child not in visited:
                    visited.add(child)
                    if child.children:
                        path.append(child)
                        pending.append(iter(child.children))
                        break
                    if leaves:
                        order.append(child)  # a leaf: nothing below it to visit first
            else:  # all of its children are in the order: the node comes next
                pending.pop()
                order.append(path.pop())
        return order

    def backward(self, gradient: Number | Sequence[Number] | None = None) -> None:
        """Fill in ``grad`` = d(self)/d(node) for every node of the graph.

        Interior nodes (those an op produced) are reset to 0 first, so after
        each call their grads are exactly those of this call. Leaves (inputs,
        parameters, constants) accumulate across calls, as in PyTorch: call
        ``zero_grad()`` (or an optimizer's) between steps. The root is seeded
        with 1.0 (a leaf root accumulates 1.0).

        In a batched graph, a batched node's grad is an array (one entry per
        example), and a scalar it was computed from (a parameter, shared by the
        whole batch) receives the sum of the entries' contributions.

        Args:
            gradient: the seed, d(L)/d(self) for some L further on, instead of
                1.0, so every grad becomes d(L)/d(node) by the chain rule (as
                PyTorch's ``backward(gradient)``). A number; for a batched root,
                one number per entry (a list or array of its length), which
                makes ``backward()`` a vector-Jacobian product.

        Raises:
            ValueError: the root is a batch and no ``gradient`` is given (reduce
                it to a scalar first), or ``gradient`` has the wrong length.
            TypeError: ``gradient`` is not a number (or, for a batch, numbers).

        Example:
            >>> x = Value(3.0)
            >>> (x * x).backward(gradient=0.5)
            >>> x.grad
            3.0
        """
        seed = 1.0
        if gradient is not None:
            seed = self._seed(gradient)
        elif not isinstance(self.data, float):
            raise ValueError(
                f"backward() needs a scalar root, but this Value is a batch of {len(self.data)}; "
                "reduce it to one number first: with a loss (mse, binary_cross_entropy, ...), "
                "or with v.mean() or v.total(); or pass one seed per entry, backward(gradient=g)"
            )
        interior = self.topological_order(leaves=False)  # leaves have nothing to pass on
        for node in interior:
            node.grad = 0.0
        if self.children:
            self.grad = seed
        else:
            self.grad += seed
        for node in reversed(interior):
            grad = node.grad
            if grad.__class__ is float:  # a scalar node (its children are scalars, or it reduces a batch)
                for child, local in zip(node.children, node.local_grads):
                    child.grad += local * grad
            else:  # a batched node: a scalar child is shared by the batch, so it gets the sum
                for child, local in zip(node.children, node.local_grads):
                    if isinstance(child.data, float):
                        child.grad += float((local * grad).sum())
                    else:
                        child.grad += local * grad

    def _seed(self, gradient: object):
        """``backward(gradient=...)``'s seed, checked: a float, or an array for a batched root."""
        if isinstance(self.data, float):
            if isinstance(gradient, bool) or not isinstance(gradient, numbers.Real):
                raise TypeError(
                    f"backward(gradient=...): the root is a scalar, so the gradient must be a "
                    f"number, got {type(gradient).__name__} {_short(gradient)}"
                )
            return float(gradient)
        import numpy as np

        m = len(self.data)
        try:
            seed = np.array(gradient, dtype=np.float64)
        except (TypeError, ValueError):
            seed = None
        if seed is None or isinstance(gradient, (str, bytes, bool)):
            raise TypeError(
                f"backward(gradient=...): the root is a batch of {m}, so the gradient must be "
                f"{m} number{'s' if m != 1 else ''} (a list or array), got "
                f"{type(gradient).__name__} {_short(gradient)}"
            )
        if seed.shape != (m,):
            raise ValueError(
                f"backward(gradient=...): the root is a batch of {m}, so the gradient needs one "
                f"number per entry, shape ({m},); got shape {seed.shape}"
            )
        return seed

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on every node of this Value's graph, leaves included
        (batched nodes too: 0.0 stands for zeros of any length)."""
        for node in self.topological_order():
            node.grad = 0.0

    def _repr_html_(self) -> str | None:
        """Jupyter: the graph's explorer (set by micrograd_nn.explore); None: the text."""
        return _html(self) if _html is not None else None


# Value._repr_html_'s function, set by micrograd_nn.explore when imported (the engine
# imports nothing from the package, as with detect_anomaly's _node).
_html = None


# Each op's Op (``_MUL``, made under ``__mul__``) as a module global too: the ops
# read it as ``_MUL``, since a global is read faster than a class attribute (some
# 190 machine instructions less per node on CPython 3.11, 4% of a '*').
globals().update({name: op for name, op in vars(Value).items() if isinstance(op, Op)})

_POW_OPS: dict = {}  # '**k' for each exponent seen, made once: (type(k), k) -> Op


def _pow_op(k: Number) -> Op:
    """The Op of ``x ** k``, named ``**k`` with k written exactly (``**2``, ``**0.5``)."""
    key = (k.__class__, k)
    op = _POW_OPS.get(key)
    if op is None:
        op = Op(f"**{k!r}", Value._pow_grads)
        if len(_POW_OPS) < 256:  # a loop over many exponents must not grow it for ever
            _POW_OPS[key] = op
    return op


def _node(data, children: tuple, local_grads: tuple, op: str) -> Value:
    """A new node: what an op computed, from what, and its local derivatives
    (no type checks: the ops have done them). ``op`` is the op's :class:`Op`,
    which carries the rule that rebuilds them as Values (a plain str has none,
    so ``create_graph`` refuses the node). With ``children=()`` and ``op=""``,
    a leaf. ``detect_anomaly()`` swaps in a checking version."""
    out = _new_object(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.op = op
    out.children = children
    out.local_grads = local_grads
    return out


def _lift(other: object, op: str) -> Value:
    """A Value as is; a number as a constant leaf; anything else a TypeError."""
    if isinstance(other, Value):
        return other
    if other.__class__ is float:  # the common case: a constant leaf, without Value()'s checks
        return _node(other, (), (), "")
    if isinstance(other, numbers.Real):
        return Value(other)
    hint = ""
    if type(other).__name__ == "ndarray":
        hint = "; for a batch (one number per example) wrap the array: Value.batch(array)"
    raise TypeError(
        f"'{op}' node: unsupported operand {type(other).__name__} {_short(other)}; "
        f"operands must be Values or real numbers (int, float, numpy scalar){hint}"
    )


def _operand(value: Value, other: object, op: str) -> Value:
    """The second operand of a binary op, as a Value (see ``_lift``); two
    batches must have the same length (numpy would stretch a batch of one)."""
    if other.__class__ is Value and value.data.__class__ is float:  # the common case: two scalars
        return other
    if isinstance(other, Value):
        if not (isinstance(value.data, float) or isinstance(other.data, float)):
            _same_length(op, (value, other))
        return other
    return _lift(other, op)


def _same_length(op: str, operands: Iterable[object]) -> None:
    """Raise ValueError if the batches among the operands differ in length."""
    lengths = [len(v.data) for v in operands if isinstance(v, Value) and not isinstance(v.data, float)]
    if len(set(lengths)) > 1:
        raise ValueError(
            f"'{op}' node: batches of different lengths ({', '.join(map(str, lengths))}); "
            "every batched operand needs one entry per example of the same batch"
        )


def _brief(x) -> str:
    """repr of a number; a batch as its first and last entries and its length."""
    if getattr(x, "ndim", 0) == 0:
        return repr(x)
    import numpy as np

    entries = np.array2string(x, threshold=6, edgeitems=2, separator=", ")
    return f"{entries} (batch of {len(x)})"


def _at(x, i: int) -> float:
    """Entry i of a batch; a float (shared by every example) as is."""
    return x if isinstance(x, float) else float(x[i])


def _entries(mask, template: str, *operands) -> str:
    """Where a batch breaks an op's rule, for an error message: ``_entries(x <= 0,
    "log({})", x)`` reads ``at 2 of 100 entries (entry 3: log(-0.5); entry 17:
    log(0.0))``. At most three are shown; each operand is a batch or a float."""
    import numpy as np

    where = np.flatnonzero(mask)
    shown = "; ".join(
        f"entry {i}: " + template.format(*(repr(_at(a, i)) for a in operands)) for i in where[:3]
    )
    more = f"; and {len(where) - 3} more" if len(where) > 3 else ""
    entries = "entry" if np.size(mask) == 1 else "entries"  # (the engine imports nothing)
    return f"at {len(where)} of {np.size(mask)} {entries} ({shown}{more})"
