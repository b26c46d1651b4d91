"""Derivatives of derivatives and forward mode, in three parts.

1. The backward pass is itself a computation: ``grad(y, [x], create_graph=True)``
   builds dy/dx from the same ops, as a graph that can be drawn
   (backward_graph.png) and differentiated again.
2. Document 001's network ("Implementing Neural Networks from Scratch", a
   lecture post inspired by Victor Zhou's blog): the 9x9 Hessian of its loss in
   w1..b3, and one Newton step beside one step of the document's SGD (learning
   rate 0.1, here on the mean squared error over the four people).
3. Forward mode against reverse mode: the Jacobian of a network f: R^n -> R^m
   takes n forward passes (one per input direction, ``jvp``) or m reverse
   passes (one per output, ``grad``); a table for networks of each shape.

Run:  python demos/higher_order.py [--fast] [--out DIR] [--seed N]
(--fast times each pass once instead of the best of five.)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from micrograd_nn import MLP, Value, draw_graph, grad, hessian, jvp, label_2_2_1, mse
from micrograd_nn.datasets import four_people
from micrograd_nn.draw import save

#: Document 001's parameters, in its order.
DOC001_PARAMETERS = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
LEARNING_RATE = 0.1  # the document's

#: (what the shape is, inputs, hidden sizes, outputs) for the cost table.
SHAPES = [
    ("many inputs, one output", 16, [16], 1),
    ("square", 8, [16], 8),
    ("one input, many outputs", 1, [16], 16),
]


def backward_as_a_graph(out_dir: Path) -> dict:
    """dy/dx for y = tanh(w * x) as a graph: w * (1 - y**2), then its own derivatives."""
    x, w = Value(0.5, label="x"), Value(-1.5, label="w")
    y = (w * x).tanh()
    y.label = "y"
    (dy_dx,) = grad(y, [x], create_graph=True)
    dy_dx.label = "dy/dx"
    dy_dx.backward()  # every grad in the picture is d(dy/dx)/d(node): x.grad is d2y/dx2
    print("1. The backward pass as a graph")
    print(f"  y = tanh(w * x) = {y.data:.6f} at x = 0.5, w = -1.5")
    nodes = len(dy_dx.topological_order())
    print(f"  dy/dx = w * (1 - y**2) = {dy_dx.data:.6f}, a Value of {nodes} nodes")
    print(f"  d2y/dx2 = {x.grad:.6f} (backward() on dy/dx)  d2y/dx dw = {w.grad:.6f}")
    path = save(draw_graph(dy_dx), out_dir / "backward_graph.png")
    print(f"  drawn: {path.name}")
    return {"dy_dx": dy_dx.data, "d2y_dx2": x.grad, "d2y_dxdw": w.grad}


def doc001_model(seed: int):
    """Document 001's 2-2-1 sigmoid network (weights and biases from N(0, 1), as the document
    draws them), its parameters in the document's order, and its loss."""
    model = MLP(2, [2, 1], activation="sigmoid", init="normal", bias_init="normal", seed=seed)
    model = label_2_2_1(model)
    named = dict(model.named_parameters())
    params = [named[name] for name in DOC001_PARAMETERS]
    X, y, _ = four_people()

    def loss() -> Value:
        return mse([model(x) for x in X], y)

    return params, loss


def newton_beside_sgd(seed: int) -> dict:
    """One Newton step, theta - H^-1 g, beside one SGD step, theta - 0.1 g, from one start."""
    import numpy as np

    params, loss = doc001_model(seed)
    start = [p.data for p in params]
    L = loss()
    g = np.array(grad(L, params))
    H = np.array(hessian(L, params))
    eigenvalues = np.linalg.eigvalsh(H)

    def loss_at(theta) -> float:
        for p, t in zip(params, theta):
            p.data = float(t)
        value = loss().data
        for p, t in zip(params, start):
            p.data = t
        return value

    sgd = loss_at(np.array(start) - LEARNING_RATE * g)
    newton = loss_at(np.array(start) - np.linalg.solve(H, g))
    damping = 2 * max(0.0, -float(eigenvalues[0]))  # H + damping I has eigenvalues >= |lowest|
    damped = loss_at(np.array(start) - np.linalg.solve(H + damping * np.eye(len(start)), g))
    print("2. Document 001's network: the Hessian of its loss in w1..b3, a Newton and an SGD step")
    print(f"  weights from N(0, 1), seed {seed}; loss (MSE over the four people) {L.data:.6f}")
    print("  H = d2L/d(theta)2, 9x9:")
    print("        " + "".join(f"{name:>9}" for name in DOC001_PARAMETERS))
    for name, row in zip(DOC001_PARAMETERS, H):
        print(f"    {name:>3} " + "".join(f"{h:9.4f}" for h in row))
    symmetric = float(np.max(np.abs(H - H.T)))
    print(f"  symmetric: max |H - H^T| = {symmetric:.1e}")
    negative = int((eigenvalues < 0).sum())
    print(
        f"  eigenvalues from {eigenvalues[0]:.4f} to {eigenvalues[-1]:.4f}: {negative} negative, "
        f"so the loss is curved down along {negative} direction{'s' if negative != 1 else ''} here"
    )
    for what, after in (
        (f"one SGD step, theta - {LEARNING_RATE} g:", sgd),
        ("one Newton step, theta - H^-1 g:", newton),
        (f"one damped Newton step, lambda {damping:.3f}:", damped),
    ):
        print(f"  {what:<40}loss {L.data:.6f} -> {after:.6f}")
    if negative:
        verdict = "downhill from these weights" if newton < L.data else "uphill from these weights"
        print(
            "  (Newton jumps to the stationary point of the local quadratic model; with negative\n"
            "  eigenvalues that point is a saddle of the model, so the step may go uphill: here\n"
            f"  it went {verdict}. Damping, theta - (H + lambda I)^-1 g with\n"
            "  lambda = 2 |lowest eigenvalue|, makes the model a bowl: the step points downhill.)"
        )
    return {"loss": L.data, "sgd": sgd, "newton": newton, "damped": damped,
            "negative_eigenvalues": negative, "asymmetry": symmetric}


def _best_time(run, repeats: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def cost_table(seed: int, repeats: int) -> list[dict]:
    """The Jacobian d(outputs)/d(inputs) of each network by both modes: passes, time, agreement."""
    rows = []
    print("3. Forward mode (jvp) against reverse mode (grad): the Jacobian d(outputs)/d(inputs)")
    print(
        f"  {'network':<17}{'shape':<25}{'n':>3}{'m':>4}   {'forward: passes x edges':<32}"
        f"{'reverse: passes x edges':<32}agree"
    )
    for what, n, hidden, m in SHAPES:
        model = MLP(n, [*hidden, m], activation="tanh", seed=seed)
        inputs = [Value(0.1 * (i + 1) - 0.5, label=f"x{i + 1}") for i in range(n)]
        outputs = model(inputs)
        outputs = outputs if isinstance(outputs, list) else [outputs]
        graph = {node for out in outputs for node in out.topological_order()}
        edges = sum(len(node.children) for node in graph)  # what one forward pass visits
        per_output = sum(len(node.children) for out in outputs for node in out.topological_order())

        def forward():  # one pass per input direction, each giving a column of the Jacobian
            columns = [jvp(outputs, {x: 1.0}) for x in inputs]
            return [[columns[j][i] for j in range(n)] for i in range(m)]

        def reverse():  # one pass per output, each giving a row
            return [grad(out, inputs) for out in outputs]

        t_forward, J_forward = _best_time(forward, repeats)
        t_reverse, J_reverse = _best_time(reverse, repeats)
        agree = all(
            abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))
            for row_f, row_r in zip(J_forward, J_reverse) for a, b in zip(row_f, row_r)
        )
        name = f"MLP({n}, {[*hidden, m]})"
        forward_work = f"{n:>2} x {edges:>3} = {n * edges:>5}  {1e3 * t_forward:5.1f} ms"
        reverse_work = (
            f"{m:>2} x {per_output / m:>3.0f} = {per_output:>5}  {1e3 * t_reverse:5.1f} ms"
        )
        print(
            f"  {name:<17}{what:<25}{n:>3}{m:>4}   {forward_work:<32}{reverse_work:<32}"
            f"{'yes' if agree else 'DISAGREE'}"
        )
        rows.append({"network": name, "n": n, "m": m, "forward_work": n * edges,
                     "reverse_work": per_output, "agree": agree})
    print(
        "  A forward pass visits every edge of the outputs' graph once, a reverse pass every\n"
        "  edge of one output's graph (one multiply-add per local derivative each). So forward\n"
        "  mode wins when there are fewer inputs than outputs, reverse mode when there are fewer\n"
        "  outputs; a loss has one output, which is why training uses reverse mode (backprop)."
    )
    return rows


def main(
    fast: bool = False, out_dir: str | Path = "out/demos/higher_order", seed: int | None = None
) -> dict:
    """Run the three parts, print them; return their numbers."""
    seed = 42 if seed is None else seed
    out_dir = Path(out_dir)
    results = {"graph": backward_as_a_graph(out_dir)}
    print()
    results["newton"] = newton_beside_sgd(seed)
    print()
    results["cost"] = cost_table(seed, repeats=1 if fast else 5)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="time each pass once")
    parser.add_argument(
        "--out", default="out/demos/higher_order", help="folder for backward_graph.png"
    )
    parser.add_argument("--seed", type=int, default=None, help="the networks' seed (default 42)")
    args = parser.parse_args()
    main(fast=args.fast, out_dir=args.out, seed=args.seed)
