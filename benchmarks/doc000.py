"""Benchmark 5: document 000's whole run, batched Values against the vectorized numpy reference.

Document 000 trains a [2, 4, 4, 1] network (ReLU, ReLU, sigmoid) on 1000
two-moons samples with binary cross-entropy and full-batch gradient descent,
learning rate 0.1, for 10,000 iterations. The anchor is the document's numpy
code (:func:`micrograd_nn.documents.doc000.train`: matrices, samples as
columns). Ours is the Value engine with batched Values: the same scalar graph
as for one sample, evaluated for the 1000 samples at once,
``loss = binary_cross_entropy(model(list(X)), Y[0])``, then ``backward()``
and ``SGD.step()``. Both start from the same initial weights (seed 4).

Target: the final weights identical to 1e-9, in at most 10x the numpy
reference's time.
"""
from __future__ import annotations

import numpy as np

from .common import Result, fmt_seconds, seconds

ITERATIONS = 10_000


def run(iterations: int = ITERATIONS) -> list[Result]:
    from micrograd_nn import SGD
    from micrograd_nn.documents.networks import get

    network = get("doc000")
    reference = network.reference
    parameters, X, Y = network.setup()
    results = {}

    def numpy_reference():
        results["reference"], _ = reference.train(
            parameters, X, Y, num_iterations=iterations, learning_rate=reference.LEARNING_RATE
        )

    def engine():
        model = network.model_from(parameters)
        optimizer = SGD(model.parameters(), lr=reference.LEARNING_RATE)
        inputs, targets = list(X), Y[0]  # X is (2, 1000): its rows are the two inputs' columns
        for _ in range(iterations):
            loss = network.loss(model(inputs), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        results["engine"] = model.to_parameters()

    t_ref = seconds(numpy_reference)
    t_ours = seconds(engine)
    expected, ours = results["reference"], results["engine"]
    diff = max(float(np.max(np.abs(ours[key] - expected[key]))) for key in expected)
    ratio = t_ours / t_ref
    return [
        Result(
            "5. document 000, whole run",
            fmt_seconds(t_ref), fmt_seconds(t_ours), ratio, f"{ratio:.1f}x its time",
            "<= 10x, 1e-9", ratio <= 10 and diff <= 1e-9,
            f"{iterations:,} full-batch iterations over 1000 moons, [2, 4, 4, 1], BCE; anchor: the "
            f"document's vectorized numpy code; final weights differ by at most {diff:.1e}",
        )
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
