"""Every widget of the built site, in both languages, driven in headless Chromium from ``file://``.

For each widget: move each control to another value on its site grid and check that every output that depends
on it shows the precomputed state for the new setting (the image file, or the table) and no longer the default;
drive one widget with the keyboard; and fail on any console error.  The site is the one
``python tools/build_book.py`` built (see ``test_site.py``); the browser needs ``chromium`` and
``chromium-driver`` (Debian packages) and the ``selenium`` package.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from booktools import LANGS
from test_site import SITE, site  # noqa: F401  (the fixture that checks the site is built and fresh)

CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMEDRIVER is None or CHROMIUM is None,
                                 reason="headless Chromium and chromedriver are not installed on this machine")]


def manifests(lang: str) -> dict[str, dict]:
    """Every widget's manifest on the built site, by key."""
    root = SITE / lang / "_static" / "widget-states"
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(root.glob("*/states.json"))}


def widget_pages(lang: str) -> dict[str, Path]:
    """The page that shows each widget."""
    found = {}
    for page in (SITE / lang).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for key in manifests(lang):
            if f'data-widget="{key}"' in text:
                found[key] = page
    return found


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1300,1000", f"--user-data-dir={tmp_path_factory.mktemp('chrome')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


SHOWN = """
const box = document.querySelector('.course-widget[data-widget="' + arguments[0] + '"]');
return Array.from(box.querySelectorAll('.cw-part')).map((el) => {
  const img = el.querySelector('img.cw-figure');
  return {state: el.dataset.state, img: img ? img.getAttribute('src') : null,
          complete: img ? (img.complete && img.naturalWidth > 0) : true, html: img ? null : el.innerHTML};
});
"""

MOVE = """
const box = document.querySelector('.course-widget[data-widget="' + arguments[0] + '"]');
const name = arguments[1], index = arguments[2];
const els = box.querySelectorAll('[data-name="' + name + '"]');
const el = els[0];
if (el.type === 'radio') { els[index].click(); return; }
if (el.type === 'checkbox') { if (el.checked !== (index === 1)) el.click(); return; }
if (el.tagName === 'SELECT') el.selectedIndex = index; else el.value = String(index);
el.dispatchEvent(new Event('input', {bubbles: true}));
el.dispatchEvent(new Event('change', {bubbles: true}));
"""


def _wait(driver, script, *args, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = driver.execute_script(script, *args)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {script[:60]!r}")


def _expected(manifest: dict, positions: dict[str, int]) -> list[str]:
    """The state key of each part for the controls' positions."""
    return ["_".join(str(positions[d]) for d in part["depends"]) or "0" for part in manifest["parts"]]


def _errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_widget_responds_to_every_control(site, browser, lang):  # noqa: F811
    pages, found = widget_pages(lang), manifests(lang)
    assert found and set(pages) == set(found), f"widgets without a page: {sorted(set(found) - set(pages))}"
    for key, manifest in found.items():
        browser.get(pages[key].resolve().as_uri())
        _wait(browser, "return document.querySelector('.course-widget[data-widget=\"' + arguments[0] + "
                       "'\"]').classList.contains('cw-ready');", key)
        defaults = {c: manifest["values"][c].index(manifest["defaults"][c]) for c in manifest["controls"]}
        before = browser.execute_script(SHOWN, key)
        assert [p["state"] for p in before] == _expected(manifest, defaults), key
        for control in manifest["controls"]:
            other = next(i for i in range(len(manifest["values"][control])) if i != defaults[control])
            browser.execute_script(MOVE, key, control, other)
            positions = {**defaults, control: other}
            want = _expected(manifest, positions)
            shown = _wait(browser, f"const s = (() => {{{SHOWN}}})(); "
                                   "return s.every((p) => p.complete) ? s : null;", key)
            for index, (part, state, old) in enumerate(zip(manifest["parts"], shown, before)):
                expected = part["states"][want[index]]
                assert state["state"] == want[index], f"{lang} {key} part {index} after moving {control}"
                if "img" in expected:
                    assert state["img"].endswith(f"widget-states/{key}/{expected['img']}"), (key, control, index)
                else:
                    assert state["html"] == expected["html"], (key, control, index)
                if control in part["depends"]:
                    assert state["state"] != old["state"], f"{key}: moving {control} did not change part {index}"
            browser.execute_script(MOVE, key, control, defaults[control])
        assert not _errors(browser), f"{lang} {key}: console errors {_errors(browser)}"


def test_a_widget_works_from_the_keyboard(site, browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    lang = "zh-tw"
    pages, found = widget_pages(lang), manifests(lang)
    key = next(k for k, m in found.items() if any(
        len(m["values"][c]) > 2 and m["defaults"][c] != m["values"][c][-1] for c in m["controls"]))
    manifest = found[key]
    browser.get(pages[key].resolve().as_uri())
    _wait(browser, "return document.querySelector('.course-widget[data-widget=\"' + arguments[0] + "
                   "'\"]').classList.contains('cw-ready');", key)
    control = next(c for c in manifest["controls"] if len(manifest["values"][c]) > 2
                   and manifest["defaults"][c] != manifest["values"][c][-1])
    element = browser.find_element(By.CSS_SELECTOR, f'.course-widget[data-widget="{key}"] [data-name="{control}"]')
    start = int(element.get_attribute("value")) if element.tag_name == "input" else None
    before = browser.execute_script(SHOWN, key)
    element.send_keys(Keys.ARROW_RIGHT if element.tag_name == "input" else Keys.ARROW_DOWN)
    _wait(browser, f"const s = (() => {{{SHOWN}}})(); return JSON.stringify(s) !== arguments[1];", key,
          json.dumps(before))
    if start is not None:
        assert int(element.get_attribute("value")) == start + 1
        readout = browser.find_element(By.CSS_SELECTOR, f'output[for="{element.get_attribute("id")}"]').text
        assert readout == json.loads(element.get_attribute("data-shown"))[start + 1]
    assert not _errors(browser)
