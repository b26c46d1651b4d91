"""The explorer page in a real browser: headless Chromium through selenium.

These run in CI (never skipped): without Chromium they fail, saying how to install it
(`make test` does: tools/setup-system.sh). One browser for the whole module, and
each page loaded once: documents 001 and 002 as explore() writes them, and document
001's as `micrograd-nn explore` does (with the document's factor names).
"""
import os
import shutil
import tempfile

import pytest

from micrograd_nn import Value, explore
from micrograd_nn.documents.networks import loss_graph
from micrograd_nn.draw import node_names

pytestmark = pytest.mark.needs_dot

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--window-size=1366,768"]


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not (os.path.exists(chromium) and os.path.exists(driver_path)):
        pytest.fail("the browser tests need Chromium and its driver: run `make test`, or "
                    "apt-get install chromium chromium-driver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ModuleNotFoundError:
        pytest.fail("the browser tests need selenium: pip install -e '.[test]'")
    options = webdriver.ChromeOptions()
    profile = tempfile.mkdtemp(prefix="explorer-chromium-")
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """name -> (the page's file URI, its loss): doc001 and doc002 as explore() writes them,
    and "cli" for document 001's page as `micrograd-nn explore doc001` writes it."""
    from micrograd_nn.cli import main

    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for name in ("doc001", "doc002"):
        loss = loss_graph(name)
        loss.backward()
        out[name] = (explore(loss).save(folder / f"{name}.html").as_uri(), loss)
    assert main(["explore", "doc001", "--out", str(folder / "cli.html")]) == 0
    loss = loss_graph("doc001")
    loss.backward()
    out["cli"] = ((folder / "cli.html").as_uri(), loss)
    return out


def _open(browser, pages, name):
    uri, loss = pages[name]
    if browser.current_url != uri:
        browser.get(uri)
    browser.execute_script(
        "explorer.mode('backward'); explorer.select(null); explorer.focus(false); explorer.fit();")
    return browser, loss


@pytest.fixture(scope="module", params=["doc001", "doc002"])
def network(request):
    return request.param  # module-scoped, so the tests run grouped by page: one load each


@pytest.fixture
def page(browser, pages, network):
    return _open(browser, pages, network)


@pytest.fixture
def doc001_page(browser, pages):
    """Document 001's page from the command line (with the document's factor names)."""
    return _open(browser, pages, "cli")


def test_nodes_equal_pythons_numbers(page):
    driver, loss = page
    nodes = driver.execute_script("return explorer.nodes()")
    order = loss.topological_order()
    assert [(n["data"], n["grad"], n["label"]) for n in nodes] == [
        (v.data, v.grad, v.label) for v in order]


def test_stepping_visits_each_node_once_in_backwards_order_and_shows_every_digit(page):
    driver, loss = page
    seen = driver.execute_script("""
        explorer.mode('backward'); var out = [];
        for (var k = 0; k < explorer.state().total; k++) {
            var s = explorer.step();
            var shown = document.querySelector('#step-panel [data-field=grad]').textContent;
            out.push([s.node.id, shown]);
        }
        return out;""")
    order = loss.topological_order()
    assert [i for i, _ in seen] == list(reversed(range(len(order))))
    assert all(float(text) == order[i].grad for i, text in seen)
    assert driver.execute_script("return explorer.reset()")["step"] == 0


def test_select_sums_equal_the_grads(page):
    driver, loss = page
    sums = driver.execute_script(
        "return explorer.nodes().map(function (n) { return explorer.select(n.id).sum; })")
    for node, total in zip(loss.topological_order(), sums):
        assert total == pytest.approx(node.grad, rel=1e-12, abs=1e-15)


def test_quiz_refuses_a_wrong_answer_and_accepts_the_right_one(page):
    driver, loss = page
    driver.execute_script("explorer.quiz(true); explorer.step(); explorer.step();")
    node = driver.execute_script("return explorer.state().node")
    wrong = driver.execute_script("return explorer.answer(arguments[0])", node["grad"] + 1.0)
    assert not wrong["correct"] and "×" in wrong["hint"]
    right = driver.execute_script("return explorer.answer(arguments[0])",
                                  float(f"{node['grad']:.3g}"))
    assert right["correct"] and driver.execute_script("return explorer.state().step") == 3


def test_keys_and_no_console_errors_and_a_screenshot(page, tmp_path):
    from selenium.webdriver.common.keys import Keys

    driver, loss = page
    driver.execute_script("explorer.mode('backward')")
    body = driver.find_element("tag name", "body")
    body.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert driver.execute_script("return explorer.state().step") == 2
    body.send_keys(Keys.ARROW_LEFT)
    assert driver.execute_script("return explorer.state().step") == 1
    body.send_keys(Keys.END)
    assert driver.execute_script("return explorer.state().step") == len(loss.topological_order())
    body.send_keys(Keys.HOME)
    assert driver.execute_script("return explorer.state().step") == 0
    refs = driver.execute_script(
        "return Array.from(document.querySelectorAll('[src],[href]'))"
        ".map(e => e.getAttribute('src') || e.getAttribute('href'))")
    assert all("//" not in ref for ref in refs)
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    from PIL import Image

    shot = tmp_path / "shot.png"
    driver.save_screenshot(str(shot))
    image = Image.open(shot).convert("L")
    dark = image.point(lambda p: 255 if p < 200 else 0).histogram()[255]
    assert dark > 0.01 * image.width * image.height


def _all_classes(driver):
    """id -> classes of every node and edge of the drawing, in one call."""
    return {key: value.split() for key, value in driver.execute_script("""
        var out = {};
        document.querySelectorAll('#graph g.node, #graph g.edge').forEach(function (e) {
            out[e.id] = e.getAttribute('class'); });
        return out;""").items()}


def _classes(driver, element_id):
    return driver.execute_script(
        "var e = document.getElementById(arguments[0]); return e ? e.getAttribute('class') : null",
        element_id).split()


def _target(loss):
    """x[0], a node with more than one path from the root: its id and Value."""
    order = loss.topological_order()
    for i, node in enumerate(order):
        if node.label == "x[0]":
            return i, node
    raise AssertionError("no x[0] in the graph")


def test_clicking_a_node_marks_its_paths_and_shows_its_chain_rule(page):
    driver, loss = page
    i, node = _target(loss)
    driver.find_element("id", f"v{i}").click()  # a real click on Graphviz's <g> of the node
    marks = _all_classes(driver)
    assert "target" in marks[f"v{i}"]
    panel = driver.find_element("id", "select-panel")
    assert f"d(L)/d({node.label})" in panel.text
    chain = driver.execute_script("return explorer.select(arguments[0])", i)  # its numbers
    assert len(chain["paths"]) == chain["count"] > 1
    order = loss.topological_order()
    for path in chain["paths"]:
        for k, node_id in enumerate(path["nodes"]):
            assert "on-path" in marks[f"v{node_id}"]
            if k:  # the edge from this node up to the op of the one before it
                parent = path["nodes"][k - 1]
                edges = [f"e{parent}_{j}" for j, c in enumerate(order[parent].children)
                         if order.index(c) == node_id]
                assert any("on-path" in marks[e] for e in edges)
    assert sum("on-path" in c for key, c in marks.items() if key.startswith("v")) < len(order)
    assert len(panel.find_elements("css selector", ".path")) == chain["count"]
    shown = float(panel.find_element("css selector", "[data-field=sum]").text)
    assert shown == pytest.approx(node.grad, rel=1e-12)
    products = sum(path["product"] for path in chain["paths"])
    assert products == pytest.approx(node.grad, rel=1e-12)
    for path in chain["paths"]:
        product = 1.0
        for factor in path["factors"]:
            product *= factor
        assert product == pytest.approx(path["product"], rel=1e-12)
    # a click on an op's oval selects the Value it makes
    parent = chain["paths"][0]["nodes"][-2]
    driver.find_element("id", f"op{parent}").click()
    assert "target" in _classes(driver, f"v{parent}")


def test_forward_mode_shows_values_in_topological_order(page):
    driver, loss = page
    order = loss.topological_order()
    seen = driver.execute_script("""
        explorer.mode('forward'); var out = [];
        var unknown = function () {
            return document.querySelectorAll('#graph text.data.unknown').length; };
        out.push([null, unknown()]);
        for (var k = 0; k < explorer.state().total; k++) {
            var s = explorer.step();
            var text = document.querySelector('#v' + s.node.id + ' text.data').textContent;
            out.push([s.node.id, unknown(), text, s.mode]);
        }
        return out;""")
    assert seen[0] == [None, len(order)]  # every value hidden before the first step
    assert [row[0] for row in seen[1:]] == list(range(len(order)))
    for k, (i, unknown, text, mode) in enumerate(seen[1:], start=1):
        assert mode == "forward" and unknown == len(order) - k
        assert text == f"data {order[i].data + 0.0:.4g}"
    for i, node in enumerate(order):  # each node after its children
        assert all(order.index(c) < i for c in node.children)


def test_document_001s_parameters_carry_their_labels_exactly(doc001_page):
    driver, loss = doc001_page
    nodes = driver.execute_script("return explorer.nodes()")
    wsums = [n for n in nodes if n["op"] == "wsum"]
    parameters = [nodes[c]["label"] for n in wsums for c in n["children"][0::2]]
    assert sorted(parameters) == sorted(["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"])
    assert {n["label"] for n in nodes if not n["children"]} == {
        "w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3", "x[0]", "x[1]", "y_true"}


def test_the_panel_for_w1_shows_the_documents_factor_names(doc001_page):
    driver, loss = doc001_page
    driver.execute_script("explorer.select('w1')")
    text = driver.find_element("css selector", "#select-panel .doc-names").text
    assert "d_L_d_w1 = d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1" in text
    # and their values, by the document's formulas (sigmoid' = s (1 - s)), computed here
    v = {node.label: node.data for node in loss.topological_order() if node.label}
    d_L_d_ypred = -2 * (v["y_true"] - v["o1"])
    d_ypred_d_h1 = v["w5"] * v["o1"] * (1 - v["o1"])
    d_h1_d_w1 = v["x[0]"] * v["h1"] * (1 - v["h1"])
    assert f"= {d_L_d_ypred:.4g} × {d_ypred_d_h1:.4g} × {d_h1_d_w1:.4g}" in text
    w1 = next(node for node in loss.topological_order() if node.label == "w1")
    assert d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1 == pytest.approx(w1.grad, rel=1e-12)
    driver.execute_script("explorer.select('b3')")
    text = driver.find_element("css selector", "#select-panel .doc-names").text
    assert "d_L_d_b3 = d_L_d_ypred * d_ypred_d_b3" in text


def test_the_buttons_step_as_the_keys_do(page):
    driver, loss = page
    n = len(loss.topological_order())
    click = lambda name: driver.find_element("id", name).click()  # noqa: E731
    click("next"), click("next"), click("next"), click("back")
    assert driver.execute_script("return explorer.state().step") == 2
    assert driver.find_element("id", "counter").text == f"step 2 / {n}"
    click("last")
    assert driver.execute_script("return explorer.state().step") == n
    assert driver.find_elements("css selector", "#graph text.grad.unknown") == []
    click("first")
    state = driver.execute_script("return explorer.state()")
    assert state["step"] == 0 and state["node"] is None
    assert len(driver.find_elements("css selector", "#graph text.grad.unknown")) == n


def test_focus_on_a_parameter_dims_everything_off_its_paths(page):
    driver, loss = page
    order = loss.topological_order()
    i = next(k for k, node in enumerate(order) if node.label in ("w1", "W1[0,0]"))
    driver.execute_script("explorer.select(arguments[0])", i)
    driver.find_element("id", "focus").click()  # the checkbox
    marks = driver.execute_script("""
        return Array.from(document.querySelectorAll('#graph g.node, #graph g.edge'))
            .map(function (e) { return [e.id, e.getAttribute('class')]; });""")
    on = {node for node in order if _reaches(node, order[i])}
    ids = {f"v{order.index(node)}" for node in on}
    for element_id, classes in marks:
        if element_id.startswith("v"):
            assert ("dim" in classes.split()) == (element_id not in ids), element_id
    assert sum("dim" in c.split() for _, c in marks) > len(marks) / 2
    driver.find_element("id", "focus").click()
    assert driver.find_elements("css selector", "#graph .dim") == []


def _reaches(node, target):
    """target is node, or one of the nodes node was computed from."""
    stack, seen = [node], set()
    while stack:
        v = stack.pop()
        if v is target:
            return True
        if id(v) not in seen:
            seen.add(id(v))
            stack.extend(v.children)
    return False


def _inside(driver, ids):
    """Of these element ids, those whose box lies wholly inside the graph's area."""
    return driver.execute_script("""
        var c = document.getElementById('graph').getBoundingClientRect();
        return arguments[0].filter(function (id) {
            var r = document.getElementById(id).getBoundingClientRect();
            return r.width > 0 && r.left >= c.left - 0.5 && r.right <= c.right + 0.5 &&
                   r.top >= c.top - 0.5 && r.bottom <= c.bottom + 0.5;
        });""", ids)


def test_a_graph_of_document_002s_size_fits_and_zooms(browser, pages):
    driver, loss = _open(browser, pages, "doc002")
    n = len(loss.topological_order())
    assert n > 100
    assert driver.get_window_size() == {"width": 1366, "height": 768}  # a laptop's screen
    area = driver.execute_script("""
        var c = document.getElementById('graph').getBoundingClientRect();
        return [c.left, c.top, c.right, c.bottom, window.innerWidth, window.innerHeight];""")
    assert area[0] >= 0 and area[1] >= 0 and area[2] <= area[4] and area[3] <= area[5]
    assert area[3] - area[1] > 250  # the graph keeps most of the screen, the panel the rest
    ids = [f"v{i}" for i in range(n)]
    assert _inside(driver, ids) == ids  # fit: every node on screen
    fitted = driver.execute_script("return explorer.fit()")
    zoomed = driver.execute_script("return explorer.zoom(4)")
    assert zoomed == pytest.approx(4 * fitted, rel=1e-6)
    assert 0 < len(_inside(driver, ids)) < n  # zoomed in: a part of it
    driver.find_element("id", "zoom-fit").click()
    assert _inside(driver, ids) == ids
    # stepping zooms in to the current node, and keeps it on screen
    for _ in range(30):
        state = driver.execute_script("return explorer.step()")
        assert _inside(driver, [f"v{state['node']['id']}"]) != []
    assert driver.execute_script("return explorer.fit()") == pytest.approx(fitted)
    # the text is readable once stepping has zoomed in: 12 pt at 0.8 or more
    assert driver.execute_script(
        "explorer.reset(); explorer.step(); return explorer.zoom(1)") >= 0.8


def test_the_quiz_hints_names_the_factors_gives_the_answer_after_three_and_scores(page):
    driver, loss = page
    order = loss.topological_order()
    driver.execute_script("explorer.quiz(true); explorer.step();")  # the root: d(L)/d(L) = 1
    assert driver.execute_script("return explorer.answer(1)")["correct"]
    node = driver.execute_script("return explorer.state().node")
    value = order[node["id"]]
    parents = [p for p in order if any(c is value for c in p.children)]
    wrong_answer = node["grad"] + 1 + abs(node["grad"])
    wrong = driver.execute_script("return explorer.answer(arguments[0])", wrong_answer)
    assert not wrong["correct"]
    names = node_names(order)
    assert all(f"d({names[p]})/d({names[value]})" in wrong["hint"] for p in parents), wrong["hint"]
    assert "×" in wrong["hint"] and wrong.get("answer") is None
    feedback = driver.find_element("id", "quiz-feedback")
    assert "Hint" in feedback.text and "wrong" in feedback.get_attribute("class")
    driver.execute_script("explorer.answer(arguments[0])", wrong_answer)
    third = driver.execute_script("return explorer.answer(arguments[0])", wrong_answer)
    assert not third["correct"] and third["answer"] == node["grad"]
    assert f"The answer is {node['grad'] + 0.0:.4g}" in feedback.text
    assert driver.execute_script("return explorer.state().step") == 2  # shown: step on yourself
    # the next ones typed into the form, to 3 significant digits; the rest through answer()
    box = driver.find_element("id", "quiz-answer")
    driver.execute_script("explorer.step()")
    for _ in range(5):
        grad = driver.execute_script("return explorer.state().node.grad")
        box.send_keys(f"{grad:.3g}\n")
    assert driver.execute_script("return explorer.state().step") == 8
    assert driver.execute_script("""
        var s = explorer.state(), right = 0;
        for (var k = s.step; k <= s.total; k++) {
            right += explorer.answer(Number(explorer.state().node.grad.toPrecision(3))).correct;
        }
        return right;""") == len(order) - 7
    score = driver.find_element("id", "quiz-score").text
    n = len(order)
    assert score == f"Done! Score: {n - 1} of {n} right ({n - 1} at the first try)."
    # end » in the quiz shows every grad: those passed over count as skipped
    driver.execute_script("explorer.quiz(true); explorer.step(); explorer.answer(1);")
    driver.find_element("id", "last").click()
    assert len(driver.find_elements("css selector", "#graph text.grad.unknown")) == 1  # the last
    assert driver.find_element("id", "quiz-score").text == f"So far: 1 of {n - 1} right."



def test_inf_and_nan_read_as_python_writes_them_and_an_empty_answer_is_no_try(
        browser, tmp_path):
    big = Value(1e300, label="big")
    square = big * big  # inf
    loss = square * 0.0 + square  # nan
    loss.label = "L"
    driver = browser
    driver.get(explore(loss).save(tmp_path / "inf.html").as_uri())
    texts = driver.execute_script(
        "explorer.last(); return Array.from(document.querySelectorAll('#graph text.data'))"
        ".map(function (t) { return t.textContent; })")
    assert "data inf" in texts and "data nan" in texts
    driver.execute_script("explorer.select('L')")
    assert "n/a" not in driver.find_element("id", "panel").text
    driver.execute_script("explorer.quiz(true); explorer.step();")
    assert not driver.execute_script("return explorer.answer('')")["correct"]
    assert driver.execute_script("return explorer.answer(' 1 ')")["correct"]  # no try was spent
    assert driver.execute_script("return explorer.answer(arguments[0])", 5.0)["hint"]
    assert driver.find_element("id", "quiz-score").text == "So far: 1 of 1 right."
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_pass_from_an_inner_node_shows_and_asks_that_passs_grads(browser, tmp_path):
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    h = a * b
    h.label = "h"
    loss = h * h + a
    loss.backward()  # a.grad = 2*h*b + 1 = 37; one pass from h: dh/da = b = -3, dh/db = a = 2
    driver = browser
    driver.get(explore(h).save(tmp_path / "inner.html").as_uri())
    assert [n["grad"] for n in driver.execute_script("return explorer.nodes()")] == [-3.0, 2.0, 1.0]
    driver.execute_script("explorer.select('a')")
    panel = driver.find_element("id", "panel").text
    assert "sum = -3 = a.grad" in panel and "37" not in panel
    assert driver.find_element("css selector", "[data-field=target-grad]").text == "-3.0"
    assert "one backward pass from h" in driver.find_element("id", "note").text
    driver.execute_script("explorer.select(null); explorer.quiz(true); explorer.step();")
    assert driver.execute_script("return explorer.answer(1)")["correct"]
    assert driver.execute_script("return explorer.answer(2)")["correct"]  # dh/db = a
    assert driver.execute_script("return explorer.answer(-3)")["correct"]  # dh/da = b
    texts = driver.execute_script(
        "explorer.last(); return Array.from(document.querySelectorAll('#graph text.grad'))"
        ".map(function (t) { return t.textContent; })")
    assert [float(t.split()[1].replace("\u2212", "-")) for t in texts] == [-3.0, 2.0, 1.0], texts
