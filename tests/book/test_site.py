"""Checks on the built bilingual site (and, where Chromium is installed, in a real browser).

The site is built by ``python tools/build_book.py`` (the README's build command).  These tests never start a
build themselves: if ``_build/site`` is missing or older than any source, they fail and say how to build it,
so they never check a stale site and a plain ``pytest`` never spends minutes building silently.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from booktools import LANGS, ROOT, SIMPLIFIED_ONLY, pages

SITE = ROOT / "_build" / "site"
SOURCES = ["book", "dosecourse", "tools", "_config.yml", "_config.zh-tw.yml", "_toc.yml", "_toc.zh-tw.yml"]
SITE_BUDGET_MB = 80
HTML_LANG = {"en": "en", "zh-tw": "zh-Hant-TW"}
# Text that may stay in Latin letters on a Chinese page's interface: the switch to English, key names.
UI_LATIN_ALLOWED = {"English", "Ctrl", "K", ".ipynb", ".md", ".pdf"}


def newest_source_mtime() -> float:
    stamps = []
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()
                                                 and "__pycache__" not in p.parts and p.suffix != ".mo"]
        stamps += [p.stat().st_mtime for p in files]
    return max(stamps)


@pytest.fixture(scope="module")
def site() -> Path:
    index = SITE / "index.html"
    if not index.exists():
        pytest.fail("the site is not built: run `python tools/build_book.py` first (the README's build command)")
    if index.stat().st_mtime < newest_source_mtime():
        pytest.fail("the site is older than its sources: run `python tools/build_book.py` again")
    return SITE


class Page(HTMLParser):
    """The parts of an HTML page the checks look at."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path, self.ids, self.links, self.attrs_text, self.text = path, set(), [], [], []
        self.html_lang, self.alternates, self.switch, self._skip = None, {}, [], 0
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]
        if "onclick" in a and "courseSwitchLanguage" in a["onclick"]:
            self.switch.append(re.search(r"courseSwitchLanguage\('([^']+)'\)", a["onclick"]).group(1))
        for key in ("title", "aria-label", "placeholder", "alt"):
            if a.get(key):
                self.attrs_text.append((tag, key, a[key]))
        if tag in ("script", "style", "pre", "code"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "pre", "code"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data.strip())


@functools.cache
def parse(path: Path) -> Page:
    return Page(path)


def html_pages(lang: str) -> list[Path]:
    return sorted((SITE / lang).rglob("*.html"))


def course_pages(lang: str) -> list[Path]:
    """The built pages that come from the book's sources (not search.html or genindex.html)."""
    return [SITE / lang / p.with_suffix(".html") for p in pages(lang)]


def test_site_has_both_languages_and_a_root_page_that_offers_both(site):
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="en/index.html"' in root and 'href="zh-tw/index.html"' in root
    assert "navigator.languages" in root
    for lang in LANGS:
        assert (site / lang / "index.html").exists()
        assert len(course_pages(lang)) == len(pages(lang))


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_lang_alternates_and_a_switch_to_its_twin(site, lang):
    other = next(x for x in LANGS if x != lang)
    for path in course_pages(lang):
        page = parse(path)
        assert page.html_lang == HTML_LANG[lang], f"{path}: <html lang={page.html_lang!r}>"
        assert set(page.alternates) == set(HTML_LANG.values()), f"{path}: hreflang links {page.alternates}"
        assert len(page.switch) == 1, f"{path}: expected one language switch, found {page.switch}"
        target = (path.parent / page.switch[0]).resolve()
        assert target == (site / other / path.relative_to(site / lang)).resolve() and target.exists(), \
            f"{path}: language switch goes to {page.switch[0]}"
        # Same anchors on both sides, so the switch keeps the reader's place.
        twin = parse(target)
        headings = {i for i in page.ids if i in twin.ids or i.startswith(("term-", "cite-"))}
        assert page.ids - headings <= set(_theme_ids(page)), f"{path}: anchors missing in {target}: " \
            f"{sorted(page.ids - headings - set(_theme_ids(page)))[:10]}"


def _theme_ids(page: Page) -> list[str]:
    # ids the theme or myst-nb generate per page (widgets, glue and figure outputs), not the author's anchors
    return [i for i in page.ids if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) or i.startswith(("pst-", "bd-"))]


@pytest.mark.parametrize("lang", LANGS)
def test_no_numbered_anchors_and_no_broken_internal_links(site, lang):
    for path in html_pages(lang):
        page = parse(path)
        numbered = sorted(i for i in page.ids if re.fullmatch(r"id\d+", i))
        assert not numbered, f"{path}: numbered anchors {numbered} (give the heading an explicit label)"
        for href in page.links:
            parts = urllib.parse.urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "javascript:")):
                continue
            target = (path.parent / urllib.parse.unquote(parts.path)).resolve() if parts.path else path
            assert target.exists(), f"{path}: broken link {href}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parse(target).ids, f"{path}: link {href} has no anchor #{parts.fragment}"


def test_chinese_interface_is_translated_and_traditional(site):
    for path in html_pages("zh-tw"):
        page = parse(path)
        # Interface text lives in title / aria-label / placeholder attributes; link and image titles are content
        # (citation tooltips, figure alt text) and are not interface.
        leftovers = [(tag, key, value) for tag, key, value in page.attrs_text
                     if tag not in ("a", "img") and value not in UI_LATIN_ALLOWED
                     and re.search(r"[A-Za-z]{3,}", value) and not re.search(r"[\u4e00-\u9fff]", value)]
        assert not leftovers, f"{path}: English interface text {leftovers[:5]}"
        simplified = sorted(set("".join(page.text)) & SIMPLIFIED_ONLY)
        assert not simplified, f"{path}: Simplified characters {simplified}"


def search_index(lang: str) -> dict:
    text = (SITE / lang / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


def test_chinese_search_index_holds_course_terms_as_whole_words(site):
    index = search_index("zh-tw")
    docnames = index["docnames"]
    for term in ("劑量", "回填", "臨床效益指數", "劑量最佳化"):
        assert term in index["terms"], f"{term} is not in the Chinese search index"
        hits = index["terms"][term]
        hits = [hits] if isinstance(hits, int) else hits
        assert "glossary" in {docnames[i] for i in hits}, f"{term} does not lead to the glossary"


def test_executed_pages_show_no_errors_warnings_or_missing_glyphs(site):
    for lang in LANGS:
        for path in html_pages(lang):
            text = path.read_text(encoding="utf-8")
            assert "Glyph" not in text and "missing from font" not in text, f"{path}: missing glyphs"
            assert 'class="output stderr"' not in text, f"{path}: a cell wrote to stderr"
            assert "Traceback" not in text, f"{path}: a traceback on the page"
            # BibTeX's "and others" must print as "et al." (book/_ext/course_bibstyle.py)
            assert "and others" not in text, f"{path}: a citation prints BibTeX's 'and others' literally"


def test_notebook_pages_offer_the_ipynb_download(site):
    for lang in LANGS:
        for rel in (p for p in pages(lang) if p.suffix == ".ipynb"):
            html = (SITE / lang / rel.with_suffix(".html")).read_text(encoding="utf-8")
            link = re.search(r'href="([^"]*_sources/[^"]*\.ipynb)"', html)
            assert link, f"{lang}/{rel}: no .ipynb download button"
            assert (SITE / lang / rel.parent / link.group(1)).resolve().exists()


# ----- in a real browser -------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed on this machine")


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *a, **k: None
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def chromium(*args: str, tmp_path: Path) -> str:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout


@needs_chromium
@pytest.mark.browser
def test_chinese_search_box_finds_unspaced_course_terms(server, tmp_path):
    # "回填劑量" is two indexed words typed without a space: only the query segmenter (zh-search.js) finds it.
    for query, expected in (("劑量最佳化", "glossary.html"), ("臨床效益指數", "glossary.html"),
                            ("回填", "glossary.html"), ("回填劑量", "glossary.html")):
        url = f"{server}/zh-tw/search.html?q={urllib.parse.quote(query)}"
        dom = chromium("--virtual-time-budget=15000", "--dump-dom", url, tmp_path=tmp_path)
        results = re.search(r'<ul class="search">(.*?)</ul>', dom, re.S)
        assert results and expected in results.group(1), f"searching {query} did not return {expected}"


@needs_chromium
@pytest.mark.browser
def test_root_page_follows_the_browser_language(server, tmp_path):
    dom = chromium("--lang=zh-TW", "--accept-lang=zh-TW,zh", "--virtual-time-budget=5000", "--dump-dom",
                   f"{server}/index.html", tmp_path=tmp_path)
    assert 'lang="zh-Hant-TW"' in dom


# ----- widgets ------------------------------------------------------------------------------------------------

def _manifests(lang: str) -> dict[str, dict]:
    root = SITE / lang / "_static" / "widget-states"
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(root.glob("*/states.json"))}


def test_every_registered_widget_has_its_states_in_both_languages_with_the_same_keys(site):
    from dosecourse.chapters import load_all, widgets

    load_all()
    keys = {k for k in widgets.REGISTRY if not k.startswith("test_")}
    en, zh = _manifests("en"), _manifests("zh-tw")
    assert set(en) == set(zh) == keys
    for key in keys:
        assert [sorted(p["states"]) for p in en[key]["parts"]] == [sorted(p["states"]) for p in zh[key]["parts"]]
        for lang, manifest in (("en", en[key]), ("zh-tw", zh[key])):
            for part in manifest["parts"]:
                for state in part["states"].values():
                    if "img" in state:
                        assert (SITE / lang / "_static" / "widget-states" / key / state["img"]).is_file()


def test_a_sample_of_widget_states_equals_a_fresh_call(site):
    """Exactness: the states on the site are what the package draws now, with the same seeds."""
    import random

    from matplotlib import pyplot as plt

    from dosecourse.chapters import load_all, widgets

    load_all()
    picker = random.Random(2025)
    for lang in LANGS:
        for key, manifest in _manifests(lang).items():
            widget = widgets.REGISTRY[key]
            index = picker.randrange(len(manifest["parts"]))
            states = dict(widget.part_states(index))
            state_key = picker.choice(sorted(states))
            shown = widget.render(index, lang, {**widget.defaults, **states[state_key]})
            stored = manifest["parts"][index]["states"][state_key]
            if "img" in stored:
                assert widgets.figure_digest(shown)[1] == stored["sha256"], f"{lang} {key} part {index} {state_key}"
                plt.close(shown)
            else:
                assert widgets._html(shown) == stored["html"], f"{lang} {key} part {index} {state_key}"


def test_the_site_fits_its_size_budget_and_pages_load_no_widget_javascript_from_a_cdn(site):
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert size < SITE_BUDGET_MB * 1e6, f"the site is {size / 1e6:.1f} MB (budget {SITE_BUDGET_MB} MB)"
    for lang in LANGS:
        for path in html_pages(lang):
            text = path.read_text(encoding="utf-8")
            assert "jupyter-widgets" not in text and "require.js" not in text, f"{path}: widget JavaScript from a CDN"
            if 'class="course-widget"' in text:
                assert "course-widgets.js" in text, f"{path}: a widget without the script that runs it"
