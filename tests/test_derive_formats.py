"""The derivation table in each format (text, markdown, latex, json) and `derive --format`.

Oracle: document 001's partial derivatives worked out here by hand in numpy (its
formulas: d_L_d_ypred = -2 (y_true - y_pred), d_ypred_d_h1 = w5 sigmoid'(sum_o1),
d_h1_d_w1 = x0 sigmoid'(sum_h1), ...), for every weight 0.5 and every bias 0.5 and
for the walk-through's seed-42 weights. Each format is read back (a pipe table split
on its unescaped ``|``, the LaTeX walked with pylatexenc's parser, the JSON parsed)
and its numbers compared with those, to the digits the format prints.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pylatexenc.latexwalker import (
    LatexEnvironmentNode, LatexGroupNode, LatexMacroNode, LatexMathNode, LatexWalker,
)

from micrograd_nn.documents.derive import FORMATS, chain_rule_latex, derivation_table
from micrograd_nn.documents.walkthrough import network_2_2_1
from micrograd_nn.explain import latex_number

REPO = Path(__file__).resolve().parents[1]
ORDER = ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]
HALF = {name: 0.5 for name in ORDER}
ALICE, BOB = ([-2.0, -1.0], 1.0), ([25.0, 6.0], 0.0)


def by_hand(weights: dict, x, y_true) -> dict:
    """Document 001's factors and products for one sample, in numpy, neuron by neuron."""
    W = np.array([[weights["w1"], weights["w2"]], [weights["w3"], weights["w4"]]])
    b = np.array([weights["b1"], weights["b2"]])
    v = np.array([weights["w5"], weights["w6"]])
    x = np.asarray(x, dtype=float)
    sum_h = W @ x + b
    h = 1 / (1 + np.exp(-sum_h))
    sum_o = v @ h + weights["b3"]
    o = 1 / (1 + np.exp(-sum_o))
    # sigmoid'(z) = s (1 - s) = e**-z / (1 + e**-z)**2, the second form without the
    # cancellation in 1 - s when s is near 1 (Bob's sum_h1 = 16: 1 - s is about 1e-7).
    ds_h = np.exp(-sum_h) / (1 + np.exp(-sum_h)) ** 2
    ds_o = np.exp(-sum_o) / (1 + np.exp(-sum_o)) ** 2
    d_L_d_ypred = -2 * (y_true - o)
    factors = {"d_L_d_ypred": d_L_d_ypred, "d_ypred_d_b3": ds_o}
    for i, (neuron, (wa, wb, bias)) in enumerate(
        zip(("h1", "h2"), (("w1", "w2", "b1"), ("w3", "w4", "b2")))
    ):
        factors[f"d_ypred_d_{neuron}"] = v[i] * ds_o
        factors[f"d_ypred_d_w{5 + i}"] = h[i] * ds_o
        factors[f"d_{neuron}_d_{wa}"] = x[0] * ds_h[i]
        factors[f"d_{neuron}_d_{wb}"] = x[1] * ds_h[i]
        factors[f"d_{neuron}_d_{bias}"] = ds_h[i]
    chains = {}
    for name in ORDER:
        if name in ("w5", "w6", "b3"):
            chains[name] = ("d_L_d_ypred", f"d_ypred_d_{name}")
        else:
            neuron = "h1" if name in ("w1", "w2", "b1") else "h2"
            chains[name] = ("d_L_d_ypred", f"d_ypred_d_{neuron}", f"d_{neuron}_d_{name}")
    return {
        "y_pred": float(o), "loss": float((y_true - o) ** 2), "chains": chains,
        "values": {name: [float(factors[f]) for f in chain] for name, chain in chains.items()},
        "products": {n: float(np.prod([factors[f] for f in chain])) for n, chain in chains.items()},
    }  # fmt: skip


def seed42():
    return {name: p.data for name, p in network_2_2_1(42).named_parameters()}


CASES = {
    "Alice, all 0.5": (HALF, *ALICE),
    "Bob, all 0.5 (tiny factors)": (HALF, *BOB),
    "Alice, seed 42": (seed42(), *ALICE),
}


@pytest.fixture(params=list(CASES))
def case(request):
    weights, x, y_true = CASES[request.param]
    table = derivation_table(weights, x, y_true, sample="Alice", note="by hand")
    return table, by_hand(weights, x, y_true)


def test_the_hand_computation_itself():
    # All 0.5, Alice: h = sigmoid(-1) for both; the known numbers, worked out once more.
    s = 1 / (1 + np.exp(1.0))
    o = 1 / (1 + np.exp(-(s + 0.5)))
    hand = by_hand(HALF, *ALICE)
    assert hand["y_pred"] == pytest.approx(o, rel=1e-15)
    d_L_d_ypred, ds_o = -2 * (1 - o), o * (1 - o)
    assert hand["values"]["w1"] == pytest.approx([d_L_d_ypred, 0.5 * ds_o, -2 * s * (1 - s)])
    assert hand["products"]["w5"] == pytest.approx(d_L_d_ypred * s * ds_o, rel=1e-15)


def close(printed: float, exact: float, digits: int) -> bool:
    """printed is exact rounded to ``digits`` significant digits."""
    return abs(printed - exact) <= 10.0 ** (1 - digits) * abs(exact) + 1e-300


# ------------------------------------------------------------------ markdown


def cells(line: str) -> list[str]:
    """A GitHub table line's cells: split on the ``|`` not escaped as ``\\|``."""
    assert line.startswith("|") and line.endswith("|"), line
    return [c.strip() for c in re.split(r"(?<!\\)\|", line[1:-1])]


def test_markdown_is_a_pipe_table_with_the_hand_numbers(case):
    table, hand = case
    text = table.render("markdown")
    assert text == table.to_markdown()
    lines = text.splitlines()
    assert all(line.startswith("|") for line in lines)
    rows = [cells(line) for line in lines]
    assert len({len(row) for row in rows}) == 1 and len(rows[0]) == 6
    assert re.fullmatch(r"\|(:?-{3,}:?\|){6}", lines[1])  # the line GitHub needs under the header
    header = ["param", "chain rule", "factor values", "product", "autograd grad", "difference"]
    assert rows[0] == header
    body = rows[2:]
    assert [row[0] for row in body] == ORDER
    for name, chain, values, product, autograd, difference in body:
        assert chain.startswith("$") and chain.endswith("$") and chain.count("$") == 2
        assert "*" not in chain and "*" not in values  # no emphasis by accident
        printed = [float(v) for v in values.split(" × ")]
        assert len(printed) == len(hand["values"][name])
        for got, exact in zip(printed, hand["values"][name]):
            assert close(got, exact, 6), (name, got, exact)
        assert close(float(product), hand["products"][name], 12), name
        assert close(float(autograd), hand["products"][name], 12), name
        assert abs(float(difference)) <= 1e-12 * max(abs(hand["products"][name]), 1e-300)


def test_markdown_chain_rule_in_the_documents_notation():
    text = derivation_table(HALF, *ALICE).to_markdown()
    w1 = (
        r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial y_{pred}} \cdot "
        r"\frac{\partial y_{pred}}{\partial h_1} \cdot \frac{\partial h_1}{\partial w_1}"
    )
    assert f"| w1 | ${w1}$ |" in text
    assert chain_rule_latex("w1") == w1
    assert chain_rule_latex("b3") == (
        r"\frac{\partial L}{\partial b_3} = \frac{\partial L}{\partial y_{pred}} \cdot "
        r"\frac{\partial y_{pred}}{\partial b_3}"
    )
    with pytest.raises(ValueError, match="unknown parameter 'w7'; choose one of: w1, w2, b1"):
        chain_rule_latex("w7")


# ------------------------------------------------------------------ latex


def walk(nodes):
    """Every node of pylatexenc's tree, depth first, macro arguments included."""
    for node in nodes or []:
        if node is None:
            continue
        yield node
        if isinstance(node, (LatexGroupNode, LatexEnvironmentNode, LatexMathNode)):
            yield from walk(node.nodelist)
        if isinstance(node, (LatexMacroNode, LatexEnvironmentNode)) and node.nodeargd:
            yield from walk(node.nodeargd.argnlist)


def parse_latex(text: str) -> list:
    """pylatexenc's node list; strict: a mismatched \\end or brace raises."""
    nodes, _, length = LatexWalker(text, tolerant_parsing=False).get_latex_nodes()
    assert length == len(text)
    return list(walk(nodes))


def braces_balance(text: str) -> bool:
    depth = 0
    for match in re.finditer(r"\\.|[{}]", text, re.S):
        token = match.group()
        if token in "{}":
            depth += 1 if token == "{" else -1
            if depth < 0:
                return False
    return depth == 0


def check_latex(text: str, fracs: int) -> list:
    """The checks every LaTeX output passes; returns the walked nodes."""
    assert text.startswith("\\documentclass{article}\n\\usepackage{amsmath}\n")
    assert "\\begin{document}" in text and text.rstrip().endswith("\\end{document}")
    assert braces_balance(text)
    nodes = parse_latex(text)
    environments = [n.environmentname for n in nodes if isinstance(n, LatexEnvironmentNode)]
    assert environments == ["document", "align*"]
    frac = [n for n in nodes if isinstance(n, LatexMacroNode) and n.macroname == "frac"]
    assert len(frac) == fracs
    for node in frac:
        arguments = node.nodeargd.argnlist
        assert len(arguments) == 2 and all(isinstance(a, LatexGroupNode) for a in arguments)
    macros = {n.macroname for n in nodes if isinstance(n, LatexMacroNode)}
    assert {"documentclass", "usepackage", "section", "cdot", "partial", "text"} <= macros
    return nodes


def latex_float(text: str) -> float:
    """A number as latex_number writes it: -0.5, (-0.5), 1.5 \\times 10^{-5}."""
    text = text.strip().strip("()")
    match = re.fullmatch(r"(-?[\d.]+) \\times 10\^\{(-?\d+)\}", text)
    return float(f"{match.group(1)}e{match.group(2)}") if match else float(text)


def test_latex_number():
    assert latex_number(1.5e-05) == r"1.5 \times 10^{-5}"
    assert latex_number(-2.5e20, parenthesize=True) == r"(-2.5 \times 10^{20})"
    assert latex_number(-0.0) == "0" and latex_number(-0.125, parenthesize=True) == "(-0.125)"
    assert latex_float(latex_number(-1.234567e-9, 12, parenthesize=True)) == -1.234567e-9


def test_latex_is_a_document_with_the_hand_numbers(case):
    table, hand = case
    text = table.render("latex")
    assert text == table.to_latex()
    # One chain rule per parameter (1 + its factors), nothing else uses \frac.
    check_latex(text, fracs=sum(1 + len(chain) for chain in hand["chains"].values()))
    environment = table.to_latex(standalone=False)
    assert environment.startswith("\\begin{align*}") and environment.endswith("\\end{align*}")
    assert environment in text
    lines = environment.splitlines()[1:-1]
    assert len(lines) == 3 * 9
    for name, (rule, values, autograd) in zip(ORDER, zip(*[iter(lines)] * 3)):
        assert rule == chain_rule_latex(name).replace(" = ", " &= ", 1) + r" \\"
        factors, product = re.fullmatch(r"&= (.*) = (.*) \\\\", values).groups()
        printed = [latex_float(f) for f in factors.split(r" \cdot ")]
        for got, exact in zip(printed, hand["values"][name], strict=True):
            assert close(got, exact, 6), (name, got, exact)
        assert close(latex_float(product), hand["products"][name], 12), name
        grad = re.fullmatch(
            r"&\\phantom\{=\}\\ \\text\{autograd: \} (.*?)( \\\\\[4pt\])?", autograd
        )
        assert close(latex_float(grad.group(1)), hand["products"][name], 12), name
    assert close(latex_float(re.search(r"y_\{pred\} = o_1 = ([^$]*)\$", text).group(1)),
                 hand["y_pred"], 10)  # fmt: skip


def test_the_checks_catch_broken_latex():
    good = derivation_table(HALF, *ALICE).to_latex()
    with pytest.raises(Exception, match="mismatching closing environment"):
        parse_latex(good.replace("\\end{align*}", "\\end{aligned}"))
    broken = good.replace(r"{\partial w_1}", r"\partial w_1}", 1)
    assert not braces_balance(broken)
    with pytest.raises(AssertionError):
        check_latex(good.replace(r"\frac{\partial L}{\partial w_1}", r"\frac{\partial L}", 1), 33)


def test_latex_escapes_the_notes_text():
    table = derivation_table(HALF, *ALICE, sample="Emily", note="y_true = 1; choose with --target")
    text = table.to_latex()
    assert r"(y\_true = 1; choose with -{}-target)" in text
    check_latex(text, fracs=33)


def test_chktex_finds_nothing(tmp_path):
    assert shutil.which("chktex"), "chktex is missing: `make test` installs it (tools/setup-system.sh)"
    # Muted: 1 ("command terminated with space", \allowdisplaybreaks at a line's end) and
    # 36 ("space in front of parenthesis", inside \texttt{loss.backward()}).
    path = tmp_path / "derive.tex"
    path.write_text(derivation_table(seed42(), *ALICE, sample="Alice").to_latex())
    proc = subprocess.run(
        ["chktex", "-q", "-n1", "-n36", str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.stdout == "" and proc.returncode == 0, proc.stdout


# ------------------------------------------------------------------ json and text


def test_json_has_the_fields_and_the_hand_numbers(case):
    table, hand = case
    data = json.loads(table.render("json"))
    assert data == json.loads(table.to_json()) == table.to_dict()
    assert set(data) >= {"sample", "x", "y_true", "y_pred", "loss", "weights", "forward", "rows"}
    assert data["y_pred"] == pytest.approx(hand["y_pred"], rel=1e-12)
    assert data["loss"] == pytest.approx(hand["loss"], rel=1e-12)
    assert [row["parameter"] for row in data["rows"]] == ORDER
    for row in data["rows"]:
        name = row["parameter"]
        fields = {"parameter", "chain_rule", "factors", "product", "autograd", "difference"}
        assert set(row) == fields
        assert row["chain_rule"] == chain_rule_latex(name)
        assert tuple(row["factors"]) == hand["chains"][name]
        assert list(row["factors"].values()) == pytest.approx(hand["values"][name], rel=1e-12)
        assert row["product"] == pytest.approx(hand["products"][name], rel=1e-12, abs=1e-300)
        assert row["autograd"] == pytest.approx(hand["products"][name], rel=1e-12, abs=1e-300)


def test_text_is_str(case):
    table, hand = case
    assert table.render() == table.render("text") == str(table)
    for name in ORDER:
        line = re.search(rf"^{name} .*$", str(table), re.M).group()
        product, autograd = line.split()[-3:-1]
        assert close(float(product), hand["products"][name], 12), name


@pytest.mark.parametrize(
    "format, error, message",
    [
        ("html", ValueError,
         r"derivation table: unknown format 'html'; choose one of: text, markdown, latex, json"),
        ("Markdown", ValueError, r"unknown format 'Markdown'"),
        (None, TypeError,
         r"derivation table: format must be a str, one of: text, markdown, latex, json; "
         r"got NoneType"),
    ],
)  # fmt: skip
def test_bad_format(format, error, message):
    with pytest.raises(error, match=message):
        derivation_table(HALF, *ALICE).render(format)


# ------------------------------------------------------------------ the command


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "micrograd_nn", "derive", *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("format", FORMATS)
def test_cli_prints_each_format(format):
    proc = run("--format", format, "--all-weights", "0.5", "--all-biases", "0.5")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    hand = by_hand(HALF, *ALICE)
    if format == "markdown":
        rows = [cells(line) for line in proc.stdout.splitlines()]
        assert len(rows) == 11 and {len(row) for row in rows} == {6}
        assert {row[0]: float(row[3]) for row in rows[2:]} == pytest.approx(hand["products"])
    elif format == "latex":
        check_latex(proc.stdout, fracs=33)
        assert "(every weight 0.5, every bias 0.5)" in proc.stdout
    elif format == "json":
        data = json.loads(proc.stdout)
        assert data["note"] == "every weight 0.5, every bias 0.5"
        products = {row["parameter"]: row["product"] for row in data["rows"]}
        assert products == pytest.approx(hand["products"], rel=1e-12)
    else:
        assert proc.stdout.startswith("Document 001's chain rule on one sample (Alice)")
    table = derivation_table(HALF, *ALICE, sample="Alice", note="every weight 0.5, every bias 0.5")
    assert proc.stdout == table.render(format) + "\n"


def test_cli_json_is_format_json_and_not_both():
    assert run("--json").stdout == run("--format", "json").stdout
    assert run("--json", "--format", "json").returncode == 0
    proc = run("--json", "--format", "latex")
    assert proc.returncode == 1 and proc.stdout == ""
    message = "give either --json or --format latex, not both"
    assert proc.stderr == f"micrograd-nn derive: error: {message}\n"


def test_cli_bad_format_is_argparses_one_line_error():
    proc = run("--format", "html")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "argument --format: invalid choice: 'html' (choose from" in proc.stderr
    assert proc.stderr.startswith("micrograd-nn derive: error:")
