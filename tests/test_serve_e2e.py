"""End-to-end tests of the page in a real headless Chromium (Debian's `chromium` and
`chromium-driver`, driven by Selenium), against `accord serve` in a subprocess on loopback.

They build a scenario fact by fact, read the results and check them against the Python API, share
the scenario through its URL, compare two editions side by side, open an explanation and apply a
change it proposes, and open a diff and load one of its witnesses. Chromium may resolve no name but
127.0.0.1, and every resource the page loaded must come from the server: the page works offline.
Screenshots of the main views are taken on the way: into docs/screenshots/ when a file there is
missing or ACCORD_SCREENSHOTS=1 is set (the images differ by a pixel from run to run, so a plain
`make test` does not rewrite them), else into a temporary folder. Skipped, saying why,
when Chromium or its driver is missing (`scripts/install-browser.sh` installs them), or failed
with ACCORD_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from serving import get_json, served

from accord import api
from accord.results.query import to_json

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
if CHROMIUM is None or DRIVER is None:
    MISSING = "headless browser tests need Debian's chromium and chromium-driver: run scripts/install-browser.sh"
    if os.environ.get("ACCORD_REQUIRE_BROWSER") == "1":  # CI: the browser tests must run, not be skipped
        pytest.fail(MISSING, pytrace=False)
    pytest.skip(MISSING, allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SHIP = "news_2015_us_ship_attacked"
WAIT = 30


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with served() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    profile = tempfile.mkdtemp(prefix="accord-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--mute-audio",
                     "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",  # offline: nothing else resolves
                     "--window-size=1400,1000", "--force-device-scale-factor=1", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def kb() -> api.KnowledgeBase:
    return api.load()


# ---- helpers --------------------------------------------------------------------------------


def wait(driver: WebDriver, condition: Callable[[WebDriver], Any], what: str) -> Any:
    return WebDriverWait(driver, WAIT).until(condition, message=f"waited {WAIT} s for {what}")


def open_page(driver: WebDriver, url: str) -> None:
    driver.get(url)
    wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true", "the page")


def results_ready(driver: WebDriver) -> None:
    """Wait until the results shown are those of the state in the URL."""
    def ready(d: WebDriver) -> bool:
        results = d.find_element(By.ID, "results")
        return (results.get_attribute("data-state") == "ready"
                and d.execute_script("return location.hash") == results.get_attribute("data-key"))
    wait(driver, ready, "the results")


def set_fact(driver: WebDriver, fact: str, value: str) -> None:
    control = driver.find_element(By.CSS_SELECTOR, f'.tri[data-fact="{fact}"]')
    button = control.find_element(By.CSS_SELECTOR, f'button[data-value="{value}"]')
    button.click()
    assert button.get_attribute("aria-pressed") == "true"


def shown_actions(driver: WebDriver, edition: str) -> dict[str, str]:
    column = driver.find_element(By.CSS_SELECTOR, f'.column[data-edition="{edition}"]')
    return {card.get_attribute("data-action") or "": card.get_attribute("data-verdict") or ""
            for card in column.find_elements(By.CSS_SELECTOR, "article.action")}


Shot = Callable[[WebDriver, str], None]


@pytest.fixture(scope="module")
def screenshot(tmp_path_factory: pytest.TempPathFactory) -> Shot:
    scratch = tmp_path_factory.mktemp("screenshots")

    def take(driver: WebDriver, name: str) -> None:
        keep = os.environ.get("ACCORD_SCREENSHOTS") == "1" or not (SCREENSHOTS / name).exists()
        folder = SCREENSHOTS if keep else scratch
        folder.mkdir(parents=True, exist_ok=True)
        # The link shows the default port rather than the test's random one, as a user would see it.
        driver.execute_script("window.scrollTo(0, 0); document.getElementById('builder').scrollTop = 0;"
                              "const s = document.getElementById('share');"
                              "s.value = s.value.replace(location.origin, 'http://127.0.0.1:8321');")
        assert driver.save_screenshot(str(folder / name))
        assert (folder / name).stat().st_size > 10_000
        driver.execute_script("document.getElementById('share').value = location.href;")

    return take


def timeline_stop(driver: WebDriver, timeline: str, edition: str) -> WebElement:
    return driver.find_element(By.CSS_SELECTOR, f'#{timeline} button.stop[data-edition="{edition}"]')


# ---- the tests (in order: they share one browser) ---------------------------------------------------------


def test_build_a_scenario_fact_by_fact_and_read_the_results(browser: WebDriver, server: str, kb: api.KnowledgeBase,
                                                            screenshot: Shot) -> None:
    open_page(browser, f"{server}/")
    facts = ["armed_attack_on(japan)", "attack_location(japan_territory)", "activity_area(japan_territory)",
             "cabinet_decision", "diet_prior_approval"]
    for fact in facts:
        set_fact(browser, fact, "true")
    set_fact(browser, "no_other_means", "unknown")
    timeline_stop(browser, "edition-timeline", "e2016").click()
    results_ready(browser)
    shown = shown_actions(browser, "e2016")
    expected = kb.query("e2016", facts=facts, unknown=["no_other_means"])
    decided = {a.label: a.verdict.value for a in expected.actions if a.clauses}
    assert shown == decided
    individual = expected.action("sdf", "use_of_force", ("individual",))
    assert shown["sdf use_of_force(individual)"] == individual.verdict.value
    summary = browser.find_element(By.ID, "scenario-summary").text
    assert "5 facts true, 1 unknown" in summary
    screenshot(browser, "builder.png")


def test_filter_the_actions_by_label_and_read_the_role_of_a_layer(browser: WebDriver, kb: api.KnowledgeBase) -> None:
    facts = ["armed_attack_on(japan)", "attack_location(japan_territory)", "activity_area(japan_territory)",
             "cabinet_decision", "diet_prior_approval"]
    expected = kb.query("e2016", facts=facts, unknown=["no_other_means"])
    counts: dict[str, int] = {}
    for a in expected.actions:
        counts[a.headline or "(varies)"] = counts.get(a.headline or "(varies)", 0) + 1
    choices = browser.find_elements(By.CSS_SELECTOR, "#label-filter button.label-choice")
    shown = {c.get_attribute("data-label") or "": c.text for c in choices}
    assert shown[""] == f"all ({len(expected.actions)})"
    assert {k: int(v.rpartition("(")[2].rstrip(")")) for k, v in shown.items() if k} == counts
    decided_by = {k: [a for a in expected.actions if a.clauses and a.headline == k] for k in counts}
    wanted = max((k for k in counts if k != "(varies)"), key=lambda k: (len(decided_by[k]), k))
    browser.find_element(By.CSS_SELECTOR, f'#label-filter button[data-label="{wanted}"]').click()
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, f'#label-filter button[data-label="{wanted}"]')
         .get_attribute("aria-pressed") == "true", "the chosen label")
    assert set(shown_actions(browser, "e2016")) == {a.label for a in decided_by[wanted]} != set()
    browser.find_element(By.CSS_SELECTOR, '#label-filter button[data-label=""]').click()
    wait(browser, lambda d: len(shown_actions(d, "e2016")) == len([a for a in expected.actions if a.clauses]),
         "every label again")
    card = '.column[data-edition="e2016"] article.action[data-action="sdf use_of_force(individual)"]'
    chip = browser.find_element(By.CSS_SELECTOR, f'{card} .chip[data-layer="guidelines"]')
    assert chip.get_attribute("data-role") == "primary" and chip.text.endswith(", primary")


def test_the_url_shares_the_scenario(browser: WebDriver, server: str) -> None:
    link = browser.find_element(By.ID, "share").get_attribute("value") or ""
    assert "t=cabinet_decision" in link and "u=no_other_means" in link
    before = shown_actions(browser, "e2016")
    open_page(browser, f"{server}/")  # a fresh page, then the shared link
    open_page(browser, link)
    results_ready(browser)
    assert shown_actions(browser, "e2016") == before
    control = browser.find_element(By.CSS_SELECTOR, '.tri[data-fact="no_other_means"] button[data-value="unknown"]')
    assert control.get_attribute("aria-pressed") == "true"


def test_a_named_scenario_side_by_side_with_another_edition(browser: WebDriver, kb: api.KnowledgeBase,
                                                            screenshot: Shot) -> None:
    browser.find_element(By.CSS_SELECTOR, f'button.scenario[data-scenario="{SHIP}"]').click()
    timeline_stop(browser, "edition-timeline", "e2016").click()
    timeline_stop(browser, "compare-timeline", "e1997").click()
    results_ready(browser)
    new, old = (to_json(kb.query(e, scenario=SHIP)) for e in ("e2016", "e1997"))
    label = "{actor} {action}".format
    verdicts = [{label(**a) + (f"({', '.join(a['arguments'])})" if a["arguments"] else ""): a["verdict"]
                 for a in r["actions"]} for r in (new, old)]
    changed = {k for k in verdicts[0] if verdicts[0][k] != verdicts[1].get(k)}
    assert int(browser.find_element(By.ID, "changed-count").get_attribute("data-changed") or -1) == len(changed)
    highlighted = {c.get_attribute("data-action")
                   for c in browser.find_elements(By.CSS_SELECTOR, '.column[data-edition="e2016"] article.changed')}
    assert highlighted == changed
    assert SHIP in browser.find_element(By.ID, "scenario-summary").text
    screenshot(browser, "side-by-side.png")
    browser.find_element(By.ID, "only-changed").click()
    results_ready(browser)
    assert set(shown_actions(browser, "e2016")) == changed
    browser.find_element(By.ID, "only-changed").click()
    results_ready(browser)


def test_open_an_explanation_and_try_a_change_it_proposes(browser: WebDriver, kb: api.KnowledgeBase,
                                                          screenshot: Shot) -> None:
    action = "sdf use_of_force(collective)"
    card = f'.column[data-edition="e2016"] article.action[data-action="{action}"]'
    browser.find_element(By.CSS_SELECTOR, card).click()
    drawer = browser.find_element(By.ID, "drawer")
    wait(browser, lambda d: d.find_elements(By.ID, "explain-verdict"), "the explanation")
    expected = kb.explain(action, "e2016", scenario=SHIP)
    assert expected.verdict is not None
    assert expected.verdict.value in browser.find_element(By.ID, "explain-verdict").text
    assert drawer.find_elements(By.CSS_SELECTOR, "ul.tree.why .mark.holds")
    assert "g2015.iv-d.sdf" in drawer.text  # the clause that permits it, with its citation
    assert "What would have to change" in drawer.text
    screenshot(browser, "explanation.png")
    first = expected.changes[0]
    drawer.find_element(By.CSS_SELECTOR, "li.change-set button.apply").click()
    results_ready(browser)
    after = shown_actions(browser, "e2016")
    assert after[action] == first.verdict_after.value
    browser.find_element(By.ID, "drawer-close").click()
    wait(browser, lambda d: not d.find_element(By.ID, "drawer").is_displayed(), "the drawer to close")


def test_a_date_picks_the_edition_in_force(browser: WebDriver) -> None:
    browser.execute_script("const i = document.getElementById('as-of'); i.value = '2015-06-01';"
                           "i.dispatchEvent(new Event('change'));")
    results_ready(browser)
    assert "d=2015-06-01" in browser.execute_script("return location.hash")
    assert timeline_stop(browser, "edition-timeline", "e2015").get_attribute("aria-pressed") == "true"
    # Answered with exactly the law of that day: the segment of the timeline that holds it.
    assert browser.find_elements(By.CSS_SELECTOR, '.column[data-edition="2015-04-27"]')


def test_the_timeline_strip_shows_each_verdict_over_time_and_opens_a_date(browser: WebDriver, server: str,
                                                                           screenshot: Shot) -> None:
    action = "sdf use_of_force(collective)"
    row = f'#time-strip .strip-row:has(button[aria-label^="{action}:"])'
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, row), "the timeline strip")
    shown = parse_qs(browser.execute_script("return location.hash").partition("?")[2])  # the facts on the page
    asked = {"fact": shown.get("t", []), "unknown": shown.get("u", [])}
    expected = get_json(f"{server}/api/timeline?" + urlencode(asked, doseq=True))
    line = next(a for a in expected["actions"] if a["label"] == action)
    bands = browser.find_elements(By.CSS_SELECTOR, f"{row} button.band")
    # With layers of authority the strip shows the bands of the headline label.
    assert line["labels"] and [b.get_attribute("data-start") for b in bands] == [b["start"] for b in line["labels"]]
    assert [b.get_attribute("data-label") for b in bands] == [b["label"] or "" for b in line["labels"]]
    screenshot(browser, "timeline-strip.png")
    last = line["labels"][-1]
    verdict = next(b["verdict"] for b in line["bands"]
                   if b["start"] <= last["start"] and (b["end"] is None or last["start"] < b["end"]))
    bands[-1].click()
    results_ready(browser)
    assert f"d={last['start']}" in browser.execute_script("return location.hash")
    column = f'.column[data-edition="{last["start"]}"] article.action[data-action="{action}"]'
    assert browser.find_element(By.CSS_SELECTOR, column).get_attribute("data-verdict") == verdict
    assert "current" in (browser.find_elements(By.CSS_SELECTOR, f"{row} button.band")[-1].get_attribute("class") or "")


def test_a_diff_and_one_of_its_witnesses_loaded_into_the_builder(browser: WebDriver, server: str,
                                                                 screenshot: Shot) -> None:
    browser.find_element(By.ID, "tab-diff").click()
    timeline_stop(browser, "diff-a", "e1997").click()
    timeline_stop(browser, "diff-b", "e2015").click()
    wait(browser, lambda d: "from e1997 to e2015" in d.find_element(By.ID, "diff-results").text, "the diff")
    expected = get_json(f"{server}/api/diff?" + urlencode({"a": "e1997", "b": "e2015"}))
    log = get_json(f"{server}/api/changelog?" + urlencode({"a": "e1997", "b": "e2015"}))
    causes = browser.find_elements(By.CSS_SELECTOR, "#diff-causes > li.cause")
    assert len(causes) == len(log["causes"]) > 0  # by cause first
    assert f"{expected['summary']['targets_changed']} of {expected['summary']['targets']}" in \
        browser.find_element(By.ID, "diff-summary").text
    screenshot(browser, "diff.png")
    browser.find_element(By.ID, "diff-by-action").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "article.target"), "the diff by action")
    targets = browser.find_elements(By.CSS_SELECTOR, "article.target")
    assert len(targets) == expected["summary"]["targets_changed"] > 0
    assert browser.find_element(By.ID, "diff-by-action").get_attribute("aria-pressed") == "true"
    witness = next(w for w in browser.find_elements(By.CSS_SELECTOR, "button.witness") if w.get_attribute("data-facts"))
    facts = (witness.get_attribute("data-facts") or "").split(";")
    witness.click()
    results_ready(browser)
    assert browser.find_element(By.ID, "view-scenario").is_displayed()
    for fact in facts:
        button = browser.find_element(By.CSS_SELECTOR, f'.tri[data-fact="{fact}"] button[data-value="true"]')
        assert button.get_attribute("aria-pressed") == "true"
    assert browser.find_elements(By.CSS_SELECTOR, '.column[data-edition="e1997"]')
    assert browser.find_elements(By.CSS_SELECTOR, '.column[data-edition="e2015"]')


def test_the_page_fetched_nothing_from_elsewhere_and_logged_no_error(browser: WebDriver, server: str) -> None:
    origins = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
        ".concat([location.origin])")
    assert set(origins) == {server}
    problems = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not problems
