"""One term, one rendering: the Chinese edition uses the canonical Traditional Chinese (Taiwan) form of each key
term everywhere (pages, labels, glossary), and no page points the reader to texts they cannot see.

The canonical forms are those of the bilingual glossary (book/glossary.yml); each rule below lists forms that
have appeared for the same concept and the one to use instead.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from booktools import BOOK, LANGS, ROOT, cell_source, pages, read_notebook

EN, ZH = LANGS

RULES: tuple[tuple[str, str, str], ...] = (
    # (non-canonical form as a regular expression, canonical form, English concept)
    (r"模型導向|模型引導", "模型導引 (model-informed) or 以模型為本 (model-based)", "model-informed / model-based"),
    (r"以模型為基礎|基於模型", "以模型為本", "model-based"),
    (r"模型輔助(?:方法|藥物開發|的藥物開發)", "模型導引 (model-assisted 模型輔助 is for BOIN and keyboard)",
     "model-informed approaches / drug development"),
    (r"雙曲線模型", "兩條曲線模型 (雙曲線 means hyperbola)", "two-curve model"),
    (r"DLT ?(?:比率|率)(?!\w)", "DLT 發生率 (rate) or DLT 機率 (probability)", "DLT rate / probability"),
    (r"回填(?:世代|隊列|群組)", "回填組", "backfill cohort"),
    (r"靶點|靶標|目標結合", "標的、標的結合", "target (molecular), target engagement"),
    (r"分佈體積", "分布體積", "volume of distribution"),
    (r"亞治療", "次治療劑量", "sub-therapeutic dose"),
    (r"研究計畫書|試驗方案|臨床試驗方案", "試驗計畫書", "protocol"),
    (r"贊助者|申辦者|贊助商", "試驗委託者", "sponsor"),
    (r"臨床效用指數", "臨床效益指數", "clinical utility index"),
    (r"真相", "真值 or 真實情境", "truth / true value"),
    (r"收錄(?=[^。；]{0,12}(?:病人|受試者|患者))", "納入", "enrol"),
    (r"習題", "練習", "exercises"),
    (r"吸收劑量|可被吸收的劑量", "生體可用劑量 (F·Dose)", "bioavailable dose"),
    (r"高出[^。，；]{0,16}倍", "是…的 N 倍", "N times"),
    (r"點擊", "按一下", "click"),
    (r"・", "a middle dot · or none (no katakana dot)", "list separator"),
    (r"‹=|›=", "≤ / ≥", "inequalities"),
    (r"劑量反應", "劑量-反應 (as 暴露-反應)", "dose-response"),
    (r"生物學最佳劑量", "最佳生物劑量（OBD）", "optimal biological dose"),
    (r"遲發毒性", "遲發性毒性", "late-onset toxicity"),
)
"""The terminology rules, checked on every Chinese page, label and glossary entry."""

UNSEEN_SOURCES = re.compile(
    r"founding text|course's summary|trilogy-overview|facts\.md|shared/(?:source|notes)|/work/notes"
    r"|奠基文字|基礎文本|本課程對三部曲的摘要"
)
"""References to texts the reader cannot see (the course's own source notes, or a session's working files)."""


def _zh_page_texts() -> list[tuple[str, str]]:
    out = []
    for page in pages(ZH):
        path = BOOK / ZH / page
        if path.suffix == ".ipynb":
            text = "\n".join(cell_source(c) for c in read_notebook(path)["cells"])
        else:
            text = path.read_text(encoding="utf-8")
        out.append((f"book/zh-tw/{page}", text))
    return out


def _labels(node, where: str, lang: str = ZH):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == lang and isinstance(value, str):
                yield where, value
            else:
                yield from _labels(value, f"{where}.{key}", lang)


def _zh_label_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "dosecourse" / "labels").rglob("*.toml")):
        with path.open("rb") as f:
            out.extend(_labels(tomllib.load(f), str(path.relative_to(ROOT))))
    return out


def _glossary_texts() -> list[tuple[str, str]]:
    entries = yaml.safe_load((BOOK / "glossary.yml").read_text(encoding="utf-8"))
    return [(f"book/glossary.yml:{e['id']}", " ".join(str(e.get(k, "")) for k in ("zh", "def_zh", "zh_search")))
            for e in entries]


TEXTS = _zh_page_texts() + _zh_label_texts() + _glossary_texts()


def test_the_texts_are_found():
    assert len(_zh_page_texts()) == len(pages(EN)) and len(_zh_label_texts()) > 500


@pytest.mark.parametrize("pattern, canonical, concept", RULES, ids=[r[2] for r in RULES])
def test_chinese_uses_the_canonical_form(pattern, canonical, concept):
    rx = re.compile(pattern)
    found = [f"{where}: …{text[max(0, m.start() - 12):m.end() + 12]}…" for where, text in TEXTS
             for m in rx.finditer(text)]
    assert not found, f"{concept}: use {canonical}, not:\n" + "\n".join(found)


def test_the_rules_catch_what_they_are_for():
    samples = {"模型導向設計": 0, "以模型為基礎": 1, "模型輔助方法": 2, "雙曲線模型": 3, "目標 DLT 比率": 4,
               "DLT 率": 4, "試驗方案": 9, "真相": 12, "收錄癌症病人": 13, "高出 3 倍": 16,
               "更多遲發毒性": 22}
    for text, index in samples.items():
        assert re.search(RULES[index][0], text), text
    for fine in ("模型輔助的區間設計", "DLT 發生率", "DLT 機率", "DoseFinding 收錄了一個資料集", "高出超過差距門檻",
                 "遲發性毒性"):
        assert not any(re.search(rule[0], fine) for rule in RULES), fine


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_points_to_texts_the_reader_cannot_see(lang):
    found = []
    for page in pages(lang):
        path: Path = BOOK / lang / page
        text = path.read_text(encoding="utf-8")
        found += [f"{lang}/{page}: {m.group(0)}" for m in UNSEEN_SOURCES.finditer(text)]
    assert not found, found


def test_the_bibliography_points_only_to_primary_sources():
    """Entries and their provenance comments name the primary record, never the course's own notes."""
    text = (BOOK / "references.bib").read_text(encoding="utf-8")
    found = [f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in UNSEEN_SOURCES.finditer(text)]
    assert not found, found
    assert UNSEEN_SOURCES.search("% identifiers from the course's founding text")


EN_RULES: tuple[tuple[str, str, str], ...] = (
    # (non-canonical English form, canonical form, concept); a form in double quotes is a mention, not a use
    (r'(?<!")\b[Bb]iologically optimal dose', "optimal biological dose (OBD)", "optimal biological dose"),
)
"""English terms the literature writes two ways, for which the course uses one."""


def _en_texts() -> list[tuple[str, str]]:
    out = [(f"book/en/{page}", (BOOK / EN / page).read_text(encoding="utf-8")) for page in pages(EN)]
    for path in sorted((ROOT / "dosecourse" / "labels").rglob("*.toml")):
        with path.open("rb") as f:
            out.extend(_labels(tomllib.load(f), str(path.relative_to(ROOT)), EN))
    entries = yaml.safe_load((BOOK / "glossary.yml").read_text(encoding="utf-8"))
    out += [(f"book/glossary.yml:{e['id']}", f"{e['en']} {e.get('def_en', '')}") for e in entries]
    return out


@pytest.mark.parametrize("pattern, canonical, concept", EN_RULES, ids=[r[2] for r in EN_RULES])
def test_english_uses_the_canonical_form(pattern, canonical, concept):
    rx = re.compile(pattern)
    texts = _en_texts()
    assert len(texts) > 500
    found = [f"{where}: …{text[max(0, m.start() - 20):m.end() + 12]}…" for where, text in texts
             for m in rx.finditer(text)]
    assert not found, f"{concept}: use {canonical}, not:\n" + "\n".join(found)
    assert rx.search("the biologically optimal dose is") and not rx.search('writes "biologically optimal dose"')
