"""Translation parity: every page exists in both languages, and notebooks differ only where they may."""

import re

import pytest
import yaml
from booktools import (
    BOOK,
    LANGS,
    SIMPLIFIED_ONLY,
    cell_source,
    code_shape,
    headings_and_labels,
    page_markdown,
    pages,
    read_notebook,
)

EN, ZH = LANGS
EN_PAGES = pages(EN)
NOTEBOOKS = [p for p in EN_PAGES if p.suffix == ".ipynb"]


def test_both_trees_hold_the_same_pages():
    assert EN_PAGES, "no pages found in book/en"
    only_en = set(EN_PAGES) - set(pages(ZH))
    only_zh = set(pages(ZH)) - set(EN_PAGES)
    assert not only_en, f"pages with no Traditional Chinese twin: {sorted(map(str, only_en))}"
    assert not only_zh, f"pages with no English twin: {sorted(map(str, only_zh))}"


@pytest.mark.parametrize("page", EN_PAGES, ids=str)
def test_every_heading_has_the_same_ascii_label_in_both_languages(page):
    en = headings_and_labels(page_markdown(BOOK / EN / page))
    zh = headings_and_labels(page_markdown(BOOK / ZH / page))
    for lang, found in ((EN, en), (ZH, zh)):
        unlabelled = [h for label, h in found if label is None]
        assert not unlabelled, f"{lang}/{page}: headings without a (label)= line before them: {unlabelled}"
    assert [label for label, _ in en] == [label for label, _ in zh], f"{page}: labels differ between languages"
    assert [h.split()[0] for _, h in en] == [h.split()[0] for _, h in zh], f"{page}: heading levels differ"


@pytest.mark.parametrize("page", EN_PAGES, ids=str)
def test_chinese_page_is_traditional_and_translated(page):
    zh_text = page_markdown(BOOK / ZH / page)
    simplified = sorted(set(zh_text) & SIMPLIFIED_ONLY)
    assert not simplified, f"zh-tw/{page} contains Simplified characters {simplified}"
    han = len(re.findall(r"\p{Han}" if False else r"[\u4e00-\u9fff]", zh_text))
    latin_words = len(re.findall(r"[A-Za-z]{4,}", re.sub(r"```.*?```|`[^`]*`|\{[^}]*\}|\(.*?\)=", "",
                                                      zh_text, flags=re.S)))
    assert han > 3 * latin_words, f"zh-tw/{page} reads mostly untranslated ({han} Han chars, {latin_words} words)"


@pytest.mark.parametrize("page", NOTEBOOKS, ids=str)
def test_notebook_twins_differ_only_in_comments_strings_and_language(page):
    en, zh = read_notebook(BOOK / EN / page), read_notebook(BOOK / ZH / page)
    assert [c["cell_type"] for c in en["cells"]] == [c["cell_type"] for c in zh["cells"]], \
        f"{page}: the sequence of cell types differs between languages"
    for i, (a, b) in enumerate(zip(en["cells"], zh["cells"])):
        assert a.get("metadata", {}).get("tags", []) == b.get("metadata", {}).get("tags", []), \
            f"{page} cell {i}: tags differ"
        if a["cell_type"] == "code":
            assert code_shape(cell_source(a)) == code_shape(cell_source(b)), \
                f"{page} cell {i}: code differs beyond comments and string literals"


GLUE = "from dosecourse.chapters import glue_all\n\nglue_all(chapter.numbers())"


def chapter_module(page) -> str:
    """The chapter module of a notebook: its file name with hyphens as underscores."""
    return page.stem.replace("-", "_")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", NOTEBOOKS, ids=str)
def test_notebook_is_clean_sets_its_language_and_glues_from_its_chapter_module(page, lang):
    nb = read_notebook(BOOK / lang / page)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, f"{lang}/{page} has no code cell"
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), \
        f"{lang}/{page} is committed with outputs; clear them (the build executes notebooks)"
    first = cell_source(code[0]).strip()
    assert re.fullmatch(rf'LANG\s*=\s*"{lang}"', first), f"{lang}/{page}: first code cell must be LANG = \"{lang}\""
    hidden = [cell_source(c).strip() for c in code if "remove-cell" in c.get("metadata", {}).get("tags", [])]
    assert hidden == [first, GLUE], (f"{lang}/{page}: the only hidden code cells are LANG and the glue cell "
                                     f"({GLUE!r}); checks belong in tests/chapters/: found {hidden}")
    imports = "".join(cell_source(c) for c in code)
    assert f"from dosecourse.chapters import {chapter_module(page)} as chapter" in imports, \
        f"{lang}/{page} must import its chapter module as `chapter`"


def test_every_notebook_has_a_chapter_module_of_its_own_name_and_back():
    from dosecourse.chapters import CHAPTERS

    assert {chapter_module(p): str(p.with_suffix("")) for p in NOTEBOOKS} == CHAPTERS
    for name in CHAPTERS:
        assert (BOOK.parent / "dosecourse" / "chapters" / f"{name}.py").is_file(), name


@pytest.mark.parametrize("page", NOTEBOOKS, ids=str)
def test_every_widget_cell_shows_a_declared_chapter_widget(page):
    from dosecourse.chapters import load, widgets

    module = load(chapter_module(page))
    calls = [m for c in read_notebook(BOOK / EN / page)["cells"] if c["cell_type"] == "code"
             for m in re.findall(r"chapter\.(\w*widget\w*)\(", cell_source(c))]
    for name in calls:
        assert isinstance(getattr(module, name), widgets.LiveWidget), f"{page}: chapter.{name} is not a LiveWidget"
    declared = [k for k, v in vars(module).items() if isinstance(v, widgets.LiveWidget)]
    assert sorted(declared) == sorted(set(calls)), f"{page}: widgets declared {declared}, shown {calls}"


def test_glossary_is_complete_and_ids_are_ascii():
    entries = yaml.safe_load((BOOK / "glossary.yml").read_text(encoding="utf-8"))
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), "glossary ids repeat"
    for e in entries:
        assert re.fullmatch(r"[a-z0-9-]+", e["id"]), e["id"]
        assert all(str(e.get(k, "")).strip() for k in ("en", "zh", "def_en", "def_zh")), e["id"]
        assert not set(e["zh"] + e["def_zh"]) & SIMPLIFIED_ONLY, e["id"]
    terms = {e["zh"] for e in entries}
    for term in ("劑量最佳化", "回填", "臨床效益指數", "無縫試驗設計"):
        assert term in terms, f"founding-text term {term} missing from the glossary"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", NOTEBOOKS, ids=str)
def test_every_cell_has_a_unique_id(page, lang):
    # nbformat silently renames a repeated id on every read, so a repeat makes the stored and read notebooks differ
    ids = [c.get("id") for c in read_notebook(BOOK / lang / page)["cells"]]
    assert all(ids), f"{lang}/{page}: a cell has no id"
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    assert not repeated, f"{lang}/{page}: repeated cell ids {repeated}"
