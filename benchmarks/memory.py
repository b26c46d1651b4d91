"""Benchmark 2: memory per graph node, micrograd 0.1.0 against micrograd_nn (tracemalloc).

The same graph is built in both engines from the same ops: a neuron written
out as micrograd writes it, ``acc = acc + w_i * x_i`` for 2,000 inputs, then
``relu``, repeated 10 times (40,000 interior nodes; the leaves are made
before measuring). ``tracemalloc`` counts every byte allocated for the graph
and still alive: the node objects, micrograd's ``__dict__``, child set and
backward closure, micrograd_nn's tuples of children and local derivatives,
the floats. The figure is bytes per interior node.

Target: micrograd_nn at most half of micrograd's bytes per node. A second
row, without a target, compares the whole forward graph of micrograd's demo
(benchmark 1's loss over 100 samples), where micrograd_nn's one-node weighted
sum (document 001's ``sum_h1``) also means far fewer nodes.
"""
from __future__ import annotations

import gc
import tracemalloc

from .common import Result

N_INPUTS = 2_000
REPEATS = 10


def traced_bytes(build) -> tuple[int, object]:
    """Bytes allocated by build() and still alive afterwards, and what it returned."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        out = build()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return after - before, out


def neuron_graph(Value, leaves):
    """REPEATS relu(w_1 x_1 + ... + w_n x_n) written with * and +: 2n interior nodes each."""
    outs = []
    for ws, xs in leaves:
        acc = ws[0] * xs[0]
        for w, x in zip(ws[1:], xs[1:]):
            acc = acc + w * x
        outs.append(acc.relu())
    return outs


def count_micrograd(roots) -> int:
    seen, stack = set(), list(roots)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(node._prev)
    return sum(1 for node in seen if node._prev)


def count_ours(roots) -> int:
    seen = set()
    for root in roots:
        seen.update(root.topological_order())
    return sum(1 for node in seen if node.children)


def leaves_for(Value):
    import numpy as np

    rng = np.random.default_rng(0)
    return [
        ([Value(float(v)) for v in rng.uniform(-1, 1, N_INPUTS)],
         [Value(float(v)) for v in rng.normal(size=N_INPUTS)])
        for _ in range(REPEATS)
    ]


def per_node() -> tuple[float, float, int]:
    from micrograd.engine import Value as MGValue

    from micrograd_nn import Value

    mg_leaves, our_leaves = leaves_for(MGValue), leaves_for(Value)
    mg_bytes, mg_roots = traced_bytes(lambda: neuron_graph(MGValue, mg_leaves))
    our_bytes, our_roots = traced_bytes(lambda: neuron_graph(Value, our_leaves))
    n_mg, n_ours = count_micrograd(mg_roots), count_ours(our_roots)
    if n_mg != n_ours:
        raise AssertionError(f"the graphs differ: micrograd {n_mg} nodes, micrograd_nn {n_ours}")
    return mg_bytes / n_mg, our_bytes / n_ours, n_ours


def demo_graph() -> tuple[int, int, int, int]:
    """Bytes and interior nodes of benchmark 1's loss graph (forward only), in each engine."""
    from micrograd.engine import Value as MGValue

    from micrograd_nn import MLP, Value, hinge

    from .micrograd_demo import ALPHA, SIZES, data, micrograd_model

    X, y = data()
    rows, labels = X.tolist(), y.tolist()
    ours = MLP(2, SIZES, seed=0)
    theirs = micrograd_model([p.data for p in ours.parameters()])

    def build_micrograd():
        scores = [theirs(list(map(MGValue, row))) for row in rows]
        losses = [(1 + -yi * si).relu() for yi, si in zip(labels, scores)]
        return sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in theirs.parameters())

    def build_ours():
        scores = [ours(row) for row in rows]
        return hinge(scores, labels) + ALPHA * Value.sum([p * p for p in ours.parameters()])

    mg_bytes, mg_root = traced_bytes(build_micrograd)
    our_bytes, our_root = traced_bytes(build_ours)
    return mg_bytes, our_bytes, count_micrograd([mg_root]), count_ours([our_root])


def run() -> list[Result]:
    mg, ours, n = per_node()
    mg_demo, ours_demo, n_mg_demo, n_ours_demo = demo_graph()
    return [
        Result(
            "2. memory per graph node",
            f"{mg:.0f} B", f"{ours:.0f} B", ours / mg, f"{ours / mg:.2f} of it",
            "<= 0.5", ours / mg <= 0.5,
            f"tracemalloc, the same graph in both engines ({n:,} interior nodes of * + relu)",
        ),
        Result(
            "2b. the demo's loss graph",
            f"{mg_demo / 1e6:.1f} MB", f"{ours_demo / 1e6:.1f} MB", ours_demo / mg_demo,
            f"{ours_demo / mg_demo:.2f} of it", "-", None,
            f"benchmark 1's forward graph: {n_mg_demo:,} nodes in micrograd, {n_ours_demo:,} in "
            "micrograd_nn (a neuron's weighted sum is one node)",
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
