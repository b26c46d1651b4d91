"""The explorer page in a real browser: headless Chromium through selenium.

These run in CI (never skipped): without Chromium they fail, saying how to install it
(`make test` does: tools/setup-system.sh). One browser for the whole module.
"""
import os
import shutil
import tempfile

import pytest

from micrograd_nn import explore
from micrograd_nn.documents.networks import loss_graph

pytestmark = pytest.mark.needs_dot

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
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


@pytest.fixture(scope="module", params=["doc001", "doc002"])
def page(request, browser, tmp_path_factory):
    loss = loss_graph(request.param)
    loss.backward()
    path = explore(loss).save(tmp_path_factory.mktemp("pages") / f"{request.param}.html")
    browser.get(path.as_uri())
    return browser, loss


def test_nodes_equal_pythons_numbers(page):
    driver, loss = page
    nodes = driver.execute_script("return explorer.nodes()")
    order = loss.topological_order()
    assert [(n["data"], n["grad"], n["label"]) for n in nodes] == [(v.data, v.grad, v.label) for v in order]


def test_stepping_visits_each_node_once_in_backwards_order_and_shows_every_digit(page):
    driver, loss = page
    seen = driver.execute_script("""
        explorer.mode('backward'); var out = [];
        for (var k = 0; k < explorer.state().total; k++) {
            var s = explorer.step();
            out.push([s.node.id, document.querySelector('#step-panel [data-field=grad]').textContent]);
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
    right = driver.execute_script("return explorer.answer(arguments[0])", float(f"{node['grad']:.3g}"))
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
        "return Array.from(document.querySelectorAll('[src],[href]')).map(e => e.getAttribute('src') || e.getAttribute('href'))")
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
