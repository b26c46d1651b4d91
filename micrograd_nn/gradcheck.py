"""Check autograd against central finite differences, parameter by parameter.

:func:`gradcheck` rebuilds a scalar from the current ``data`` of some
parameters, runs ``backward()`` once for the analytic gradient, then nudges
each parameter by +-eps for the numeric one:

    numeric = (f(p + eps) - f(p - eps)) / (2 * eps)

Its error is O(eps**2) from the Taylor series plus O(1e-16 * |f| / eps) from
rounding; eps = 1e-6 balances the two in float64, so correct gradients agree
to about 1e-9 relative, and a wrong one, off by a factor or a sign, stands out.
The report reads like HIPS autograd's ``check_grads``::

    w1  analytic: -0.0123456789  numeric: -0.0123456790  rel err: 8.1e-09  ok
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Callable, Sequence

from ._words import plural
from .engine import Value

__all__ = ["GradcheckReport", "GradcheckRow", "gradcheck"]


@dataclass(frozen=True)
class GradcheckRow:
    """One parameter: autograd's derivative, the finite difference, and whether they agree."""

    label: str
    analytic: float
    numeric: float
    rel_error: float
    ok: bool


@dataclass(frozen=True)
class GradcheckReport:
    """Every parameter's row; ``ok`` when all agree. ``str()`` prints one line per parameter."""

    rows: tuple[GradcheckRow, ...]
    eps: float
    rtol: float
    atol: float

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def failures(self) -> list[GradcheckRow]:
        return [row for row in self.rows if not row.ok]

    def __str__(self) -> str:
        width = max(len(row.label) for row in self.rows)
        lines = [
            f"{row.label:<{width}}  analytic: {row.analytic:>17.10g}"
            f"  numeric: {row.numeric:>17.10g}"
            f"  rel err: {row.rel_error:.1e}  {'ok' if row.ok else 'FAILED'}"
            for row in self.rows
        ]
        failed = len(self.failures)
        verdict = "ok for" if not failed else f"FAILED for {failed} of"
        lines.append(
            f"gradcheck {verdict} {plural(len(self.rows), 'parameter')} "
            f"(central differences, eps {self.eps:g}; ok when |analytic - numeric| <= "
            f"{self.atol:g} + {self.rtol:g} * max(|analytic|, |numeric|))"
        )
        return "\n".join(lines)


def _number(value: object, name: str, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"gradcheck: {name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        need = "> 0" if positive else ">= 0"
        raise ValueError(f"gradcheck: {name} must be a finite number {need}, got {value!r}")
    return value


def _evaluate(fn: Callable[[], Value]) -> Value:
    out = fn()
    if not isinstance(out, Value):
        raise TypeError(
            "gradcheck: fn() must return a scalar Value built from the params, got "
            f"{type(out).__name__}; for example lambda: mse(model(x), y)"
        )
    return out


def gradcheck(
    fn: Callable[[], Value],
    params: Sequence[Value],
    eps: float = 1e-6,
    rtol: float = 1e-6,
    atol: float = 1e-8,
) -> GradcheckReport:
    """Compare autograd's d(fn())/d(p) with a central finite difference for every p in params.

    Args:
        fn: takes no arguments; builds and returns the scalar Value from the
            current ``data`` of ``params`` (a new graph on every call).
        params: the Values to differentiate with respect to (usually leaves,
            such as ``model.parameters()``).
        eps: the finite-difference step.
        rtol, atol: a row is ok when
            |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|).

    Returns:
        a :class:`GradcheckReport`; its ``ok`` is True when every row agrees.

    Side effects: none that last. Every param's ``data`` is restored, even if
    ``fn`` raises. Grads are left as they were found: the check zeroes the
    params' grads, runs ``backward()`` once on a fresh graph, reads them, then
    puts back the grad of every param and of every node of that graph (so the
    inputs and constants ``fn`` closes over keep their grads too).

    Raises:
        TypeError: fn is not callable, params is not a list of Values, or
            fn() returns something other than a Value.
        ValueError: eps <= 0, a negative tolerance, no params, or a param given twice.

    Example:
        >>> x = Value(2.0, label="x")
        >>> report = gradcheck(lambda: (x * x).tanh(), [x])
        >>> report.ok, x.data, x.grad
        (True, 2.0, 0.0)
    """
    if not callable(fn):
        raise TypeError(
            "gradcheck: fn must be a function of no arguments returning a Value, "
            f"got {type(fn).__name__}"
        )
    if isinstance(params, Value) or not hasattr(params, "__iter__"):
        raise TypeError(
            f"gradcheck: params must be a list of Values, got {type(params).__name__}; pass [x]"
        )
    params = list(params)
    if not params:
        raise ValueError(
            "gradcheck: params is empty; pass the Values to check, e.g. model.parameters()"
        )
    seen = set()
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"gradcheck: params[{i}] is a {type(p).__name__}, not a Value")
        if p in seen:
            raise ValueError(f"gradcheck: params[{i}] ({p.label or repr(p)}) appears twice")
        seen.add(p)
    eps = _number(eps, "eps", positive=True)
    rtol = _number(rtol, "rtol", positive=False)
    atol = _number(atol, "atol", positive=False)

    saved_data = [p.data for p in params]
    saved_grads = {p: p.grad for p in params}
    try:
        out = _evaluate(fn)
        for node in out.topological_order():
            saved_grads.setdefault(node, node.grad)
        for p in params:
            p.grad = 0.0
        out.backward()
        analytic = [p.grad for p in params]

        numeric = []
        for p, x in zip(params, saved_data):
            p.data = x + eps
            f_plus = _evaluate(fn).data
            p.data = x - eps
            f_minus = _evaluate(fn).data
            p.data = x
            # The step actually taken, which rounding makes differ slightly from 2 * eps.
            numeric.append((f_plus - f_minus) / ((x + eps) - (x - eps)))
    finally:
        for p, x in zip(params, saved_data):
            p.data = x
        for node, grad in saved_grads.items():
            node.grad = grad

    rows = []
    for i, (p, a, n) in enumerate(zip(params, analytic, numeric)):
        if math.isnan(a) or math.isnan(n):
            rel_error, ok = math.nan, False
        else:
            scale = max(abs(a), abs(n))
            error = abs(a - n)
            rel_error = error / scale if scale > 0 else 0.0
            ok = error <= atol + rtol * scale
        rows.append(GradcheckRow(p.label or f"params[{i}]", a, n, rel_error, ok))
    return GradcheckReport(tuple(rows), eps, rtol, atol)
