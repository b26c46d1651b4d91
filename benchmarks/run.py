"""Run every benchmark and print one table: ``make bench`` or ``python -m benchmarks.run``.

Each row: the benchmark, the anchor's figure, micrograd_nn's, the ratio, the
target and whether this run met it (``MISSED`` if not). Rows without a
target give context. The notes under the table say what each row measured.
All figures come from this run, on this machine: read the ratios, not the
absolute times. The exit status is 1 only if a benchmark crashed (a missed
target is a result, not an error).

    python -m benchmarks.run            # all five
    python -m benchmarks.run 1 5        # only benchmarks 1 and 5
"""
from __future__ import annotations

import platform
import sys
import time
import traceback

from . import chain, doc000, doc001, memory, micrograd_demo
from .common import Result

BENCHMARKS = {
    "1": micrograd_demo,
    "2": memory,
    "3": chain,
    "4": doc001,
    "5": doc000,
}

COLUMNS = (("benchmark", 30), ("anchor", 26), ("micrograd_nn", 20), ("ratio", 14), ("target", 13), ("met?", 6))


def machine() -> str:
    """The CPU, the Python and the library versions, for the table's heading."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import os

    import numpy

    try:
        from importlib.metadata import version

        micrograd = f"micrograd {version('micrograd')}"
    except Exception:  # not installed: the rows that need it say so
        micrograd = "micrograd not installed (pip install -e '.[bench]')"
    return (
        f"{cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}, numpy {numpy.__version__}, "
        f"{micrograd}"
    )


def line(cells) -> str:
    return "| " + " | ".join(f"{cell:<{width}}" for cell, (_, width) in zip(cells, COLUMNS)) + " |"


def verdict(result: Result) -> str:
    if result.ratio_text == "CRASHED":
        return "CRASHED"
    if result.met is None:
        return "-"
    return "yes" if result.met else "MISSED"


def main(argv: list[str] | None = None) -> int:
    chosen = (argv if argv is not None else sys.argv[1:]) or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    print(f"micrograd_nn benchmarks on {machine()}", flush=True)
    rows: list[Result] = []
    crashed = []
    start = time.perf_counter()
    for name in chosen:
        module = BENCHMARKS[name]
        t0 = time.perf_counter()
        print(f"  running {module.__name__} ...", end="", flush=True)
        try:
            results = module.run()
        except Exception:
            print(" CRASHED", flush=True)
            traceback.print_exc()
            crashed.append(name)
            results = [Result(f"{name}. {module.__name__.split('.')[-1]}", "-", "-", float("nan"),
                              "CRASHED", "-", None, "see the traceback above")]
        else:
            print(f" {time.perf_counter() - t0:.0f} s", flush=True)
        rows.extend(results)
    print()
    print(line([title for title, _ in COLUMNS]))
    print("|" + "|".join("-" * (width + 2) for _, width in COLUMNS) + "|")
    for result in rows:
        print(line([result.name, result.anchor, result.ours, result.ratio_text, result.target,
                    verdict(result)]))
    print()
    for result in rows:
        print(f"{result.name}: {result.note}")
    missed = [r.name for r in rows if r.met is False]
    print()
    print(f"{len(rows)} rows in {time.perf_counter() - start:.0f} s; "
          + (f"targets missed: {', '.join(missed)}" if missed else "every target met"))
    if crashed:
        print(f"crashed: benchmark {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
