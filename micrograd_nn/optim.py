"""Optimizers: they read each parameter's ``grad`` and update its ``data``.

Usage, the same for both::

    opt = SGD(model.parameters(), lr=0.1)
    for step in range(100):
        loss = ...            # forward
        opt.zero_grad()       # leaves accumulate grads, so clear them first
        loss.backward()
        opt.step()
"""
from __future__ import annotations

import math
from typing import Iterable

from . import _checks
from ._words import plural
from .engine import Value

__all__ = ["Adam", "Optimizer", "SGD"]


def _name(p: Value) -> str:
    return p.label or repr(p)


class Optimizer:
    """Holds the parameters; ``zero_grad()`` clears their grads."""

    def __init__(self, params: Iterable[Value]) -> None:
        if isinstance(params, Value) or not hasattr(params, "__iter__"):
            raise TypeError(
                f"{type(self).__name__} takes an iterable of Values, got {type(params).__name__}; "
                "pass model.parameters()"
            )
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters; pass model.parameters()")
        seen = set()
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(
                    f"{type(self).__name__}: parameter {i} is a {type(p).__name__}, not a Value; "
                    "pass model.parameters()"
                )
            if p in seen:
                raise ValueError(
                    f"{type(self).__name__}: parameter {i} ({_name(p)}) appears twice; "
                    "it would be updated twice per step"
                )
            seen.add(p)

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0."""
        for p in self.params:
            p.grad = 0.0

    def _grads(self) -> list[float]:
        """Every parameter's grad, checked before any parameter changes."""
        grads = [p.grad for p in self.params]
        if all(map(math.isfinite, grads)):  # the common case, in one pass of C
            return grads
        for p, g in zip(self.params, grads):
            if not math.isfinite(g):
                raise FloatingPointError(
                    f"{type(self).__name__}.step(): parameter {_name(p)} has grad {g!r}; "
                    "the loss or a step before it produced a non-finite number "
                    "(try a smaller learning rate or check the inputs)"
                )
        return grads

    def step(self) -> None:
        raise NotImplementedError

    def state_dict(self) -> dict:
        """Everything ``step()`` depends on besides the parameters, as plain numbers and lists
        (a copy: later steps do not change it). :meth:`load_state_dict` puts it back, so
        a run saved and resumed goes on bit for bit."""
        raise NotImplementedError

    def load_state_dict(self, state: dict) -> None:
        """Restore a :meth:`state_dict` (of the same optimizer over as many parameters).

        Raises:
            TypeError, ValueError: a state of another optimizer, of another number of
                parameters, or holding something other than finite numbers.
        """
        raise NotImplementedError

    def _check_state(self, state: object, keys: tuple[str, ...]) -> dict:
        kind = type(self).__name__
        if not isinstance(state, dict):
            raise TypeError(f"{kind}.load_state_dict takes a dict from state_dict(), "
                            f"got {type(state).__name__}")
        if state.get("type") != kind:
            raise ValueError(
                f"{kind}.load_state_dict: the state is of {_checks.quote(state.get('type'))}, "
                f"not {kind}; resume with the optimizer the state was saved from"
            )
        missing = [key for key in keys if key not in state]
        extra = [key for key in state if key not in keys and key != "type"]
        if missing or extra:
            raise ValueError(
                f"{kind}.load_state_dict: the state's keys are "
                f"{', '.join(map(_checks.quote, state))}; expected type, {', '.join(keys)}"
            )
        return state

    def _check_list(self, values: object, name: str) -> list[float]:
        kind = type(self).__name__
        values = _checks.as_list(values,
                                 f"{kind}.load_state_dict: {name} must be a list of numbers")
        if len(values) != len(self.params):
            raise ValueError(
                f"{kind}.load_state_dict: {name} has {plural(len(values), 'entry')} for "
                f"{plural(len(self.params), 'parameter')}; the state is of another model"
            )
        return [_checks.number_in(v, f"{kind}.load_state_dict: {name}[{i}]", -math.inf, math.inf,
                                  low_open=True, high_open=True) for i, v in enumerate(values)]


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (PyTorch-style) momentum.

    Without momentum: ``p -= lr * p.grad``.
    With momentum mu: ``v = mu * v + p.grad``; ``p -= lr * v``.
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params)
        self.lr = _checks.number_in(lr, "lr", 0.0, math.inf, low_open=True, high_open=True)
        self.momentum = _checks.number_in(momentum, "momentum", 0.0, 1.0, low_open=False, high_open=True)
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        """Update every parameter once from its current grad."""
        grads = self._grads()
        if self.momentum == 0.0:
            for p, g in zip(self.params, grads):
                p.data -= self.lr * g
            return
        for i, (p, g) in enumerate(zip(self.params, grads)):
            self.velocity[i] = self.momentum * self.velocity[i] + g
            p.data -= self.lr * self.velocity[i]

    def state_dict(self) -> dict:
        """``{"type": "SGD", "lr", "momentum", "velocity": [one per parameter]}``."""
        return {"type": "SGD", "lr": self.lr, "momentum": self.momentum,
                "velocity": list(self.velocity)}

    def load_state_dict(self, state: dict) -> None:
        state = self._check_state(state, ("lr", "momentum", "velocity"))
        velocity = self._check_list(state["velocity"], "velocity")
        lr = _checks.number_in(state["lr"], "SGD.load_state_dict: lr", 0.0, math.inf,
                               low_open=True, high_open=True)
        momentum = _checks.number_in(state["momentum"], "SGD.load_state_dict: momentum", 0.0,
                                     1.0, low_open=False, high_open=True)
        # Only now, with all of it checked: a state refused leaves the optimizer as it was.
        self.lr, self.momentum, self.velocity = lr, momentum, velocity


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015) with bias correction.

    ``m = b1*m + (1-b1)*g``, ``v = b2*v + (1-b2)*g**2``,
    ``p -= lr * (m / (1 - b1**t)) / (sqrt(v / (1 - b2**t)) + eps)``.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params)
        self.lr = _checks.number_in(lr, "lr", 0.0, math.inf, low_open=True, high_open=True)
        betas = _checks.as_list(betas, "betas must be a pair (beta1, beta2)")
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {plural(len(betas), 'value')}")
        self.betas = tuple(
            _checks.number_in(b, f"betas[{i}]", 0.0, 1.0, low_open=False, high_open=True)
            for i, b in enumerate(betas)
        )
        self.eps = _checks.number_in(eps, "eps", 0.0, math.inf, low_open=True, high_open=True)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.t = 0

    def step(self) -> None:
        """Update every parameter once from its current grad."""
        grads = self._grads()
        b1, b2 = self.betas
        self.t += 1
        correction1 = 1.0 - b1**self.t
        correction2 = 1.0 - b2**self.t
        for i, (p, g) in enumerate(zip(self.params, grads)):
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * g
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g
            m_hat = self.m[i] / correction1
            v_hat = self.v[i] / correction2
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)

    def state_dict(self) -> dict:
        """``{"type": "Adam", "lr", "betas", "eps", "t": steps taken, "m", "v": one per
        parameter}``."""
        return {"type": "Adam", "lr": self.lr, "betas": list(self.betas), "eps": self.eps,
                "t": self.t, "m": list(self.m), "v": list(self.v)}

    def load_state_dict(self, state: dict) -> None:
        state = self._check_state(state, ("lr", "betas", "eps", "t", "m", "v"))
        m = self._check_list(state["m"], "m")
        v = self._check_list(state["v"], "v")
        if any(x < 0.0 for x in v):
            raise ValueError("Adam.load_state_dict: v holds a negative number; v is a mean of "
                             "squares, so the state was edited")
        t = state["t"]
        if isinstance(t, bool) or not isinstance(t, int) or t < 0:
            raise ValueError("Adam.load_state_dict: t (the steps taken) must be a whole number "
                             f">= 0, got {_checks.quote(t)}")
        try:  # a fresh Adam checks lr, betas and eps
            fresh = Adam(self.params, lr=state["lr"], betas=state["betas"], eps=state["eps"])
        except (TypeError, ValueError) as error:
            raise type(error)(f"Adam.load_state_dict: {error}") from None
        self.lr, self.betas, self.eps = fresh.lr, fresh.betas, fresh.eps
        self.m, self.v, self.t = m, v, t
