"""Benchmarks of micrograd_nn against its anchors: ``make bench`` or ``python -m benchmarks.run``.

Each module measures one thing, anchor and micrograd_nn in the same run, and
returns :class:`benchmarks.common.Result` rows; :mod:`benchmarks.run` prints
them as one table. The anchors are micrograd 0.1.0 (the ``bench`` extra) and
the documents' own hand-coded networks in :mod:`micrograd_nn.documents`.
"""
