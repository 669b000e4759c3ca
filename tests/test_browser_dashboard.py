"""The dashboard in real headless Chromium on a real server: sign-in link, styles and scripts allowed by
its Content-Security-Policy, the heat-map inside 1,280 px, a review, an upload with live progress."""
import sys
from pathlib import Path

import pytest

from checker.batch import Options, run_batch
from checker.batch.store import create_token, open_db
from service import create_app
from service.testing import running_server
from test_browser_page import browser  # noqa: F401  (the shared headless Chromium fixture)

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_notes  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dash-browser")
    make_notes.write_csv(str(folder / "n.csv"), 240)
    run_batch([str(folder / "n.csv")], str(folder / "s.db"), Options(), warn=lambda m: None)
    token = create_token(open_db(str(folder / "s.db")), "Supervisor B", ["P0"])
    with running_server(create_app({"DB": str(folder / "s.db")})) as url:
        yield {"url": url, "token": token, "folder": folder, "db": str(folder / "s.db")}


def wait(driver, condition, seconds=20):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, seconds).until(condition)


def test_dashboard_in_a_real_browser(browser, site):  # noqa: F811
    from selenium.webdriver.common.by import By
    browser.set_window_size(1280, 1000)
    browser.get(f"{site['url']}/dashboard/program/P0?token={site['token']}")
    assert "Sign in" in browser.page_source and not browser.get_cookies()
    browser.find_element(By.CSS_SELECTOR, "form button").click()
    wait(browser, lambda d: "met rate per worker" in d.page_source)
    assert browser.get_cookies()[0]["httpOnly"]
    titles = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.heat h2")]
    assert titles == ["Goals and plans: met rate per worker and criterion",
                      "Progress notes: met rate per worker and criterion"]
    # The stylesheet loaded under the CSP: heat-map cells have their colours.
    cell = browser.find_element(By.CSS_SELECTOR, "td.rate[class*=' h']")
    assert cell.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 1280
    # A review through the page's own form, stored under the token's name.
    browser.find_element(By.CSS_SELECTOR, "section.heat a").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "table a[href*='/document/']"))
    browser.find_element(By.CSS_SELECTOR, "table a[href*='/document/']").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "button[value=agree]"))
    browser.find_element(By.CSS_SELECTOR, "input[name=comment]").send_keys("right call")
    browser.find_element(By.CSS_SELECTOR, "button[value=agree]").click()
    wait(browser, lambda d: "Supervisor B: agree" in d.page_source)
    reviews = list(open_db(site["db"])["reviews"].rows)
    assert [(r["reviewer"], r["comment"]) for r in reviews] == [("Supervisor B", "right call")]
    # An upload from the home page; the progress script (a file, allowed by the CSP) shows it done.
    export = site["folder"] / "more.csv"
    export.write_text("id,program,text\nNEW-1,P0,Met with Ana on 3/4 for 30 minutes. CM will call by Friday 3/8.\n",
                      encoding="utf-8")
    browser.get(f"{site['url']}/dashboard/")
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(export))
    browser.find_element(By.CSS_SELECTOR, "form[enctype] button").click()
    wait(browser, lambda d: d.find_element(By.ID, "status").text == "done", seconds=60)
    assert '"scored": 1' in browser.find_element(By.ID, "summary").text
    errors = [e for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert not errors
