"""The protocol appendix (:meth:`dosecourse.escalation.Design.protocol`) of every escalation design.

For each design, both languages and both formats:

* the appendix has its sections in the protocol's order (design and parameters; rule; decision table or dose
  transition pathways; stopping and elimination; MTD or OBD selection; primary reference);
* every table is well-formed: Markdown pipe tables (header, delimiter row, the same number of cells in every
  row; and markdown-it, a CommonMark parser with the table extension, renders each one as a ``<table>``) and an
  HTML fragment whose tags nest and close (``html.parser``);
* the decision table (or the pathways) read back from the text equals ``decision_table()`` (or
  ``pathways()``), and for the interval designs equals the boundaries themselves (:meth:`boundaries`);
* the numbers in the text are the design's: its settings in the parameter table, BOIN's ``lambda_e`` and
  ``lambda_d`` to 3 decimals against :func:`~dosecourse.escalation.boin_boundaries` (in the table and in the
  rule), the CRM's skeleton, the BLRM's interval and overdose bound, the maximum sample size;
* the zh-TW text holds no label id and no English label text that has a Chinese translation;
* bad arguments get clear errors that name them.
"""

from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from markdown_it import MarkdownIt

from dosecourse import escalation as esc
from dosecourse.escalation.design import PROTOCOL_MAX_PATHWAY_COHORTS, Design, ProtocolAppendix
from dosecourse.escalation.factory import make_design
from dosecourse.i18n import catalogue, t

DESIGNS = {
    "BOIN": esc.BOIN(0.3, 5),
    "BOIN-extrasafe": esc.BOIN(0.25, 4, cohort_size=2, n_cohorts=8, extrasafe=True, n_earlystop=10),
    "Keyboard": esc.Keyboard(0.3, 5),
    "mTPI": esc.MTPI(0.3, 5),
    "mTPI-2": esc.MTPI2(0.25, 5, epsilon1=0.04, epsilon2=0.06),
    "3+3": esc.ThreePlusThree(5),
    "3+3-escalation-only": esc.ThreePlusThree(4, variant="escalation-only", start_dose=2),
    "ATD": esc.AcceleratedTitration(5),
    "CRM": make_design("CRM", 5),
    "CRM-logistic": esc.CRM([0.05, 0.12, 0.25, 0.40, 0.55], 0.25, model="logistic", coherence=False),
    "BLRM": esc.BLRM([1, 2, 4, 8, 16]),
    "BLRM-limits": esc.BLRM([1, 2, 4, 8, 16], max_increase=2, select_untried=True, cohort_size=2),
    "BOIN12": esc.BOIN12(0.35, 0.25, 5),
    "BF-BOIN": esc.BFBOIN(0.25, 5),
}
for _name, _cls, _make in (("TITE-CRM", "TITECRM", lambda: esc.TITECRM([0.05, 0.12, 0.25, 0.40, 0.55], 0.25)),
                           ("TITE-BOIN", "TITEBOIN", lambda: esc.TITEBOIN(0.25, 5, n_cohorts=4)),
                           ("BOIN-comb", "BOINComb", lambda: esc.BOINComb(0.3, (3, 5))),
                           ("BOIN-comb-getoc", "BOINComb", lambda: esc.BOINComb(
                               0.25, (2, 4), cohort_size=2, n_cohorts=8, rules="get.oc.comb", extrasafe=True,
                               n_earlystop=10, bound_mtd=True))):
    if hasattr(esc, _cls):       # the designs other helpers add, once the package exports them
        DESIGNS[_name] = _make()
KEYS = list(DESIGNS)
LANGS = ("en", "zh-tw")
CASES = [(key, lang) for key in KEYS for lang in LANGS]


def concrete_designs() -> set[type]:
    """Every concrete design class the package exports (all that have a protocol appendix)."""
    return {c for c in vars(esc).values()
            if isinstance(c, type) and issubclass(c, ProtocolAppendix) and not inspect.isabstract(c)
            and c not in (Design, ProtocolAppendix)}


def test_every_design_is_covered():
    assert concrete_designs() <= {type(d) for d in DESIGNS.values()}


# ---------------------------------------------------------------------------------------------- parsing
def split_row(line: str) -> list[str]:
    """The cells of a Markdown pipe-table row (``\\|`` is a literal bar)."""
    assert line.startswith("|") and line.endswith("|"), line
    cells = re.split(r"(?<!\\)\|", line[1:-1])
    return [c.strip().replace("\\|", "|") for c in cells]


def markdown_blocks(text: str) -> list[tuple[str, object]]:
    """The appendix as (kind, content) blocks: ("heading", (level, text)), ("text", str), ("table", DataFrame)."""
    blocks = []
    for block in text.strip("\n").split("\n\n"):
        lines = block.split("\n")
        if lines[0].startswith("#"):
            assert len(lines) == 1
            hashes, title = lines[0].split(" ", 1)
            assert set(hashes) == {"#"}
            blocks.append(("heading", (len(hashes), title)))
        elif lines[0].startswith("|"):
            header = split_row(lines[0])
            assert re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[1]), lines[1]
            assert len(split_row(lines[1])) == len(header)
            rows = [split_row(line) for line in lines[2:]]
            assert all(len(r) == len(header) for r in rows)
            blocks.append(("table", pd.DataFrame(rows, columns=header, dtype=object)))
        else:
            assert len(lines) == 1, block      # one paragraph per block
            blocks.append(("text", block))
    return blocks


class FragmentParser(HTMLParser):
    """Checks that tags nest and close, and collects headings, paragraphs and tables."""

    VOID = {"br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.blocks: list[tuple[str, object]] = []
        self.text = ""
        self.rows: list[list[str]] = []
        self.header: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag in ("td", "th", "p") or re.fullmatch(r"h[1-6]", tag):
            self.text = ""
        if tag == "tr":
            self.rows.append([])
        if tag == "table":
            self.rows, self.header = [], []

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()
        if tag in ("td", "th"):
            self.rows[-1].append(self.text.strip())
        elif tag == "p":
            self.blocks.append(("text", self.text))
        elif re.fullmatch(r"h[1-6]", tag):
            self.blocks.append(("heading", (int(tag[1]), self.text)))
        elif tag == "table":
            header, *rows = self.rows
            self.blocks.append(("table", pd.DataFrame(rows, columns=header, dtype=object)))

    def handle_data(self, data):
        self.text += data


def html_blocks(text: str) -> list[tuple[str, object]]:
    parser = FragmentParser()
    parser.feed(text)
    parser.close()
    assert not parser.stack, f"unclosed tags {parser.stack}"
    assert text.startswith('<section class="dosecourse-protocol">') and text.rstrip().endswith("</section>")
    return parser.blocks


def cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the text of its cells (missing values: "NA"), for comparison with what was read back."""
    def cell(v):
        return "NA" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v)
    out = frame.astype(object).map(cell).reset_index(drop=True).astype(object)
    out.columns = [str(c) for c in frame.columns]
    return out


def expected_plan(design, lang: str, max_n=None) -> tuple[str, pd.DataFrame]:
    """The heading and the table the appendix must show: the decision table (one row per number of patients when
    the design's table has one column per number of patients), or the pathways of the first cohorts."""
    try:
        table = design.decision_table(max_n, lang=lang)
    except NotImplementedError:
        cohorts = 2 if max_n is None else -(-max_n // design.cohort_size)
        return t("protocol_h_pathways", lang), design.pathways(cohorts, lang=lang)
    if all(isinstance(c, (int, np.integer)) for c in table.columns):
        table = table.T
    return t("protocol_h_table", lang), table


def sections(blocks) -> dict[str, list]:
    """Blocks by the section heading they follow."""
    out, current = {}, None
    for kind, content in blocks:
        if kind == "heading":
            current = content[1]
            out[current] = []
        else:
            out[current].append((kind, content))
    return out


@pytest.fixture(scope="module")
def texts() -> dict:
    return {(key, lang, fmt): DESIGNS[key].protocol(fmt, lang) for key, lang in CASES for fmt in ("markdown", "html")}


def blocks_of(texts, key, lang, fmt):
    text = texts[(key, lang, fmt)]
    return markdown_blocks(text) if fmt == "markdown" else html_blocks(text)


# ---------------------------------------------------------------------------------------------- structure
@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("key, lang", CASES)
def test_sections_in_protocol_order(texts, key, lang, fmt):
    design = DESIGNS[key]
    blocks = blocks_of(texts, key, lang, fmt)
    headings = [c for k, c in blocks if k == "heading"]
    assert headings[0][0] == 2 and {level for level, _ in headings[1:]} == {3}
    titles = [title for _, title in headings]
    name = t(design.name_label, lang) if design.name_label else design.name
    assert titles[0] == t("protocol_title", lang, design=name)
    plan_heading, _ = expected_plan(design, lang)
    selects = design.selects.lower()
    split = [t(k, lang) for k in ("protocol_h_design", "protocol_h_rule")] + [plan_heading] + [
        t("protocol_h_stopping", lang), t(f"protocol_h_selection_{selects}", lang), t("protocol_h_reference", lang)]
    joined = [t("protocol_h_design", lang), t("protocol_h_rules", lang), plan_heading,
              t("protocol_h_reference", lang)]
    assert titles[1:] in (split, joined)
    body = sections(blocks)
    for title in titles[1:]:
        assert body[title], f"section {title!r} is empty"
    assert body[t("protocol_h_reference", lang)] == [("text", t(design.protocol_reference, lang))]
    assert re.search(r"doi:10\.\d{4,}/", t(design.protocol_reference, lang))


@pytest.mark.parametrize("key", KEYS)
def test_markdown_renders_every_table(texts, key):
    """A CommonMark parser with the table extension makes a <table> of every pipe table."""
    for lang in LANGS:
        text = texts[(key, lang, "markdown")]
        rendered = MarkdownIt("commonmark").enable("table").render(text)
        n_tables = sum(1 for kind, _ in markdown_blocks(text) if kind == "table")
        assert n_tables == 2 and rendered.count("<table>") == n_tables
        assert rendered.count("<h2>") == 1 and "<h3>" in rendered


@pytest.mark.parametrize("key", KEYS)
def test_markdown_and_html_say_the_same(texts, key):
    for lang in LANGS:
        md, html = (blocks_of(texts, key, lang, fmt) for fmt in ("markdown", "html"))
        assert [k for k, _ in md] == [k for k, _ in html]
        for (kind, a), (_, b) in zip(md, html):
            if kind == "table":
                pd.testing.assert_frame_equal(a, b)
            else:
                assert a == b


# ---------------------------------------------------------------------------------------------- the tables
@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("key, lang", CASES)
def test_plan_table_equals_the_designs_own(texts, key, lang, fmt):
    design = DESIGNS[key]
    heading, expected = expected_plan(design, lang)
    (kind, shown), *rest = [b for b in sections(blocks_of(texts, key, lang, fmt))[heading] if b[0] == "table"]
    assert not rest
    pd.testing.assert_frame_equal(shown, cells(expected))


@pytest.mark.parametrize("max_n", [1, 4, 6, 12])
@pytest.mark.parametrize("key", ["BOIN", "Keyboard", "mTPI", "mTPI-2", "BOIN-extrasafe"] + [
    k for k in ("BOIN-comb", "BOIN-comb-getoc") if k in DESIGNS])
def test_interval_table_equals_the_boundaries(key, max_n):
    """Read back from the text, the table is the design's boundaries for 1..max_n patients (independently of
    decision_table's layout)."""
    design = DESIGNS[key]
    for lang in LANGS:
        blocks = markdown_blocks(design.protocol(lang=lang, max_n=max_n))
        table = [c for k, c in sections(blocks)[t("protocol_h_table", lang)] if k == "table"][0]
        b = (design.boin if hasattr(design, "boin") else design).boundaries(max_n)   # BOIN-comb: its BOIN's
        n = np.arange(1, max_n + 1)

        def shown(values, possible):
            return [str(int(v)) if ok else "NA" for v, ok in zip(values, possible)]

        assert table.iloc[:, 0].tolist() == [str(v) for v in n]
        assert table.iloc[:, 1].tolist() == shown(b.escalate[1:], b.escalate[1:] >= 0)
        assert table.iloc[:, 2].tolist() == shown(b.deescalate[1:], b.deescalate[1:] <= n)
        assert table.iloc[:, 3].tolist() == shown(b.eliminate[1:], b.eliminate[1:] <= n)
        if design.extrasafe:
            assert table.iloc[:, 4].tolist() == shown(b.stop[1:], b.stop[1:] <= n)
        assert table.shape[1] == 4 + design.extrasafe


@pytest.mark.parametrize("key", ["CRM", "BLRM", "BLRM-limits"])
def test_pathways_cover_max_n_in_whole_cohorts(key):
    design = DESIGNS[key]
    c = design.cohort_size
    for max_n, cohorts in ((1, 1), (c, 1), (c + 1, 2), (PROTOCOL_MAX_PATHWAY_COHORTS * c, 3)):
        blocks = markdown_blocks(design.protocol(max_n=max_n))
        body = sections(blocks)[t("protocol_h_pathways", "en")]
        table = [content for kind, content in body if kind == "table"][0]
        pd.testing.assert_frame_equal(table, cells(design.pathways(cohorts)))
        assert ("text", t("protocol_pathways_note", "en", n=cohorts)) in body
    with pytest.raises(ValueError, match="max_n"):
        design.protocol(max_n=PROTOCOL_MAX_PATHWAY_COHORTS * c + 1)


# ---------------------------------------------------------------------------------------------- the numbers
def parameters(texts, key, lang) -> dict[str, str]:
    """The parameter table read back from the Markdown: setting name -> value shown."""
    body = sections(markdown_blocks(texts[(key, lang, "markdown")]))[t("protocol_h_design", lang)]
    table = [content for kind, content in body if kind == "table"][0]
    return dict(zip(table.iloc[:, 2], table.iloc[:, 1]))


@pytest.mark.parametrize("key, lang", CASES)
def test_parameter_table_shows_the_settings(texts, key, lang):
    design = DESIGNS[key]
    shown = parameters(texts, key, lang)
    body = sections(markdown_blocks(texts[(key, lang, "markdown")]))[t("protocol_h_design", lang)]
    table = [content for kind, content in body if kind == "table"][0]
    assert table.iloc[-1, 1] == repr(design)                 # the specification rebuilds the design
    assert eval(table.iloc[-1, 1], vars(esc)) == design
    assert t("protocol_param_max_n", lang) in table.iloc[:, 0].tolist()
    assert table.set_index(table.columns[0]).loc[t("protocol_param_max_n", lang)].iloc[0] == str(design.max_n)
    for name in ("n_doses", "cohort_size", "n_cohorts", "start_dose"):
        if name in shown:
            assert shown[name] == str(getattr(design, name)), name
    for name in ("target", "target_tox", "target_eff", "ewoc", "prior_var", "cutoff_eli", "phi1", "phi2", "p_saf",
                 "p_tox"):
        if name in shown:       # the value in use: the attribute, else the argument (BF-BOIN keeps cutoff_eli in
            value = getattr(design, name, design._arguments[name])   # its inner BOIN)
            assert float(shown[name]) == pytest.approx(value, rel=1e-3), name
    for name in ("n_doses", "start_dose"):     # pairs of the combination design
        if name in shown and isinstance(getattr(design, name), tuple):
            assert shown[name] == str(getattr(design, name)), name
    for name in ("skeleton", "doses", "utilities", "interval", "prior_mean", "prior_sd"):
        if name in shown:
            values = [float(v) for v in shown[name].strip("()").split(", ")]
            np.testing.assert_allclose(values, np.asarray(getattr(design, name), dtype=float), rtol=1e-3)
    for name in ("extrasafe", "no_skip", "coherence", "select_untried", "backfill", "bound_mtd", "tite"):
        if name in shown:
            assert shown[name] == t("protocol_yes" if getattr(design, name) else "protocol_no", lang), name


BOUNDARY_WORDS = {"en": ("lambda_e = ", "lambda_d = "), "zh-tw": ("λe = ", "λd = ")}


@pytest.mark.parametrize("key, lang", [(k, lang) for k in ("BOIN", "BOIN-extrasafe", "TITE-BOIN", "BOIN-comb",
                                                            "BOIN-comb-getoc") if k in DESIGNS for lang in LANGS])
def test_boin_boundaries_in_table_and_rule(texts, key, lang):
    design = DESIGNS[key]
    phi1, phi2 = (design.p_saf, design.p_tox) if hasattr(design, "p_saf") else (design.phi1, design.phi2)
    lambda_e, lambda_d = esc.boin_boundaries(design.target, phi1, phi2)
    shown = parameters(texts, key, lang)
    assert abs(float(shown["lambda_e"]) - lambda_e) <= 5e-5      # shown to 4 decimals
    assert abs(float(shown["lambda_d"]) - lambda_d) <= 5e-5
    rule = " ".join(c for k, c in sections(markdown_blocks(texts[(key, lang, "markdown")]))[
        t("protocol_h_rule", lang)] if k == "text")
    e_word, d_word = BOUNDARY_WORDS[lang]
    found_e = re.findall(re.escape(e_word) + r"(\d\.\d+)", rule)
    found_d = re.findall(re.escape(d_word) + r"(\d\.\d+)", rule)
    assert found_e and found_d
    assert all(abs(float(v) - lambda_e) < 5e-4 for v in found_e)   # equal to 3 decimals
    assert all(abs(float(v) - lambda_d) < 5e-4 for v in found_d)
    # the rule's thresholds (escalate if <= lambda_e, de-escalate if > lambda_d) are the same numbers
    at_most = {"en": "<=", "zh-tw": "≤"}[lang]
    assert f"{at_most} {lambda_e:.4f}" in rule and f"> {lambda_d:.4f}" in rule


@pytest.mark.parametrize("lang", LANGS)
def test_model_numbers_in_the_rule(texts, lang):
    for key in ("CRM", "CRM-logistic"):
        design = DESIGNS[key]
        text = texts[(key, lang, "markdown")]
        skeleton = re.search(r"s = \(([^)]*)\)", text).group(1)
        np.testing.assert_allclose([float(v) for v in skeleton.split(", ")], design.skeleton, atol=5e-4)
        assert f"N(0, {design.prior_var:g})" in text
        assert t("protocol_crm_stopping", lang, max_n=design.max_n, n_cohorts=design.n_cohorts,
                 cohort_size=design.cohort_size) in text
    for key in ("BLRM", "BLRM-limits"):
        design = DESIGNS[key]
        text = texts[(key, lang, "markdown")]
        lo, hi = design.interval
        assert f"[{lo:g}, {hi:g})" in text and f"{design.ewoc:g}" in text
        increase = t("blrm_describe_increase", lang, fold="X").split("X")[0]
        assert (increase in text) == (design.max_increase is not None)
        if design.max_increase is not None:
            assert t("blrm_describe_increase", lang, fold=f"{design.max_increase:g}") in text


@pytest.mark.parametrize("key", ["3+3", "3+3-escalation-only", "ATD"])
def test_rule_based_designs_state_their_sample_size_and_variant(texts, key):
    design = DESIGNS[key]
    for lang in LANGS:
        text = texts[(key, lang, "markdown")]
        assert str(design.max_n) in sections(markdown_blocks(text))[t("protocol_h_stopping", lang)][-1][1]
        variant = design.variant.replace("-", "_")
        assert t(f"protocol_tpt_selection_{variant}", lang) in text
        assert parameters(texts, key, lang)["variant"] == t(f"protocol_variant_{variant}", lang)


# ---------------------------------------------------------------------------------------------- the languages
LABEL_ID = re.compile(r"\b(protocol|interval|boin|boin12|bfboin|crm|blrm|tpt|atd|upm|mtpi|mtpi2|keyboard|"
                      r"titeboin|titecrm|pathway|design)_[a-z0-9_]+\b")
TRANSLATED = [texts["en"] for texts in catalogue().values()
              if "en" in texts and texts["en"] != texts.get("zh-tw") and len(texts["en"]) >= 12
              and re.search(r"[a-z]{3}", texts["en"])]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("key", KEYS)
def test_zh_has_no_untranslated_labels(texts, key, fmt):
    zh = texts[(key, "zh-tw", fmt)]
    # the specification is code, and the reference is cited as published (in English)
    body = zh.replace(repr(DESIGNS[key]), "").replace(t(DESIGNS[key].protocol_reference, "zh-tw"), "")
    assert not LABEL_ID.search(body), LABEL_ID.search(body)
    leaked = [en for en in TRANSLATED if en in body]
    assert not leaked, leaked[:3]
    assert zh != texts[(key, "en", fmt)]
    # the protocol's own labels: every heading of the zh appendix is the zh label
    for kind, content in (markdown_blocks(zh) if fmt == "markdown" else html_blocks(zh)):
        if kind == "heading":
            assert re.search(r"[\u4e00-\u9fff]", content[1]), content


def test_protocol_labels_use_taiwan_terms():
    labels = {k: v for k, v in catalogue().items() if k.startswith("protocol_")}
    zh = " ".join(v["zh-tw"] for v in labels.values())
    assert "試驗計畫書" in labels["protocol_intro"]["zh-tw"] and "方案" not in zh
    for simplified in ("剂", "试", "数据", "概率", "信息", "默认"):
        assert simplified not in zh
    assert "劑量遞增" in labels["protocol_title"]["zh-tw"] and "決策表" in labels["protocol_h_table"]["zh-tw"]
    assert labels["protocol_h_pathways"]["zh-tw"] == "劑量轉換路徑"


# ---------------------------------------------------------------------------------------------- bad arguments
@pytest.mark.parametrize("key", KEYS)
def test_bad_arguments_name_the_argument(key):
    design = DESIGNS[key]
    with pytest.raises(ValueError, match="fmt must be one of"):
        design.protocol("pdf")
    with pytest.raises(ValueError, match="lang"):
        design.protocol(lang="fr")
    for bad in (0, -1, design.max_n + 1, 10**18):
        with pytest.raises(ValueError, match="max_n"):
            design.protocol(max_n=bad)
    for bad in (1.5, "6"):
        with pytest.raises(TypeError, match="max_n"):
            design.protocol(max_n=bad)
    for bad in (0, 6):
        with pytest.raises(ValueError, match="level"):
            design.protocol(level=bad)


def test_heading_level():
    text = DESIGNS["BOIN"].protocol(level=4)
    assert text.startswith("#### ") and "\n##### " in text and "\n### " not in text
    html = DESIGNS["BOIN"].protocol("html", level=1)
    assert html.count("<h1>") == 1 and "<h2>" in html and "<h3>" not in html


def test_three_plus_three_table_is_fixed():
    design = DESIGNS["3+3"]
    assert design.protocol(max_n=6) == design.protocol()
    with pytest.raises(ValueError, match="max_n: the 3\\+3 decides only at 3 and 6 patients"):
        design.protocol(max_n=9)
