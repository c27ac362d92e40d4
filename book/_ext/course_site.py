"""Sphinx extension for the bilingual course site (written for this course).

One Sphinx build per language; this extension ties the two together:

* a language switch in every page's header that opens the same page in the other language, keeping the
  ``#anchor`` (``_static/course-site.js``);
* ``<html lang>`` set to the language's BCP 47 tag (``en``, ``zh-Hant-TW``) and ``<link rel="alternate"
  hreflang>`` links to both versions of each page;
* the ``course-glossary`` directive, which renders the one bilingual glossary (``book/glossary.yml``) in the
  build's language with ASCII anchors shared by both languages (``#term-dose-optimization``);
* for Chinese builds, a jieba user dictionary generated from the glossary so that course terms are indexed as
  whole words, and ``_static/zh-search.js``, which segments an unspaced Chinese query against the index.

Configuration (in ``_config.yml`` under ``sphinx: config:``): ``course_language`` (this build's key),
``course_languages`` (key -> ``{label, hreflang, html_lang}``), ``course_glossary`` (path to the glossary,
relative to the source folder).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

_HERE = Path(__file__).resolve().parent


def load_glossary(app: Sphinx) -> list[dict]:
    """Read the bilingual glossary: a list of ``{id, en, zh, def_en, def_zh}`` entries."""
    path = Path(app.srcdir, app.config.course_glossary).resolve()
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in entries:
        missing = {"id", "en", "zh", "def_en", "def_zh"} - set(entry)
        if missing:
            raise ValueError(f"glossary entry {entry.get('id', entry)!r} lacks {sorted(missing)}")
    return entries


def is_chinese(app: Sphinx) -> bool:
    return app.config.course_language.startswith("zh")


class CourseGlossary(SphinxDirective):
    """Render ``book/glossary.yml`` as a definition list in this build's language.

    Each term gets the anchor ``term-<id>`` in both languages, so the language switch lands on the same
    entry.  The term in the other language follows in parentheses.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        entries = load_glossary(self.env.app)
        self.env.note_dependency(str(Path(self.env.srcdir, self.config.course_glossary).resolve()))
        zh = is_chinese(self.env.app)
        glossary = nodes.definition_list(classes=["glossary", "course-glossary"])
        for e in entries:
            main, other = (e["zh"], e["en"]) if zh else (e["en"], e["zh"])
            # Do not repeat an abbreviation both sides carry: 人體等效劑量(HED) (human equivalent dose).
            abbreviation = re.search(r"\s*[（(]([A-Z0-9]+)[)）]$", other)
            if abbreviation and abbreviation.group(1) in main:
                other = other[: abbreviation.start()]
            term = nodes.term("", "", nodes.Text(main), nodes.inline(text=f" ({other})", classes=["gloss-other"]),
                              ids=[f"term-{e['id']}"])
            paragraph = nodes.paragraph(text=" ".join((e["def_zh"] if zh else e["def_en"]).split()))
            glossary += nodes.definition_list_item("", term, nodes.definition("", paragraph))
        return [glossary]


AUTO_ID = re.compile(r"id\d+$")


def keep_label_ids_on_sections(app: Sphinx, doctree: nodes.document) -> None:
    """A labelled section keeps just its label ids, the same in both languages.

    The id docutils derives from the heading text (``references`` in English, ``id1`` for a Chinese heading
    with no ASCII letters) would differ between the languages and break the language switch's anchors.  Runs
    before Sphinx's table-of-contents collector, so the page contents link to the labels.  A heading without a
    label keeps its ids, and the checks on the built site fail on it.
    """
    explicit = {doctree.nameids[name] for name, is_explicit in doctree.nametypes.items()
                if is_explicit and doctree.nameids.get(name)}
    for section in doctree.findall(nodes.section):
        if any(i in explicit for i in section["ids"]):
            section["ids"] = [i for i in section["ids"] if i in explicit]


def drop_unreferenced_numbered_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Remove numbered ids (``id3``, given to citations) that no reference on the page points to."""
    referenced = {ref["refid"] for ref in doctree.findall(nodes.Element) if "refid" in ref}
    for node in doctree.findall(nodes.Element):
        if not isinstance(node, nodes.section) and node.get("ids"):
            node["ids"] = [i for i in node["ids"] if not (AUTO_ID.match(i) and i not in referenced)]


def write_search_dictionary(app: Sphinx, config) -> None:
    """For a Chinese build, give jieba the glossary's Chinese terms as a user dictionary."""
    if not config.course_language.startswith("zh"):
        return
    entries = load_glossary(app)
    words = sorted({e["zh"] for e in entries} | {w for e in entries for w in e.get("zh_search", [])})
    target = Path(app.doctreedir).parent / "jieba-course-dict.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    # jieba's format: word, frequency, part of speech.  A high frequency keeps the term whole.
    target.write_text("".join(f"{w} 100000 n\n" for w in words), encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(target)}


def add_static_files(app: Sphinx) -> None:
    app.add_js_file("course-site.js")
    app.add_js_file("course-widgets.js")
    app.add_css_file("course-site.css")
    if is_chinese(app):
        app.add_js_file("zh-search.js")


def add_language_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Set ``<html lang>``, add hreflang alternates and the header button to the other language."""
    langs: dict = app.config.course_languages
    here = app.config.course_language
    context["language"] = langs[here]["html_lang"]
    depth = pagename.count("/")
    to_site_root = "../" * (depth + 1)  # from this page up to the folder that holds en/ and zh-tw/
    base = app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else ""
    alternates = []
    for key, meta in langs.items():
        url = posixpath.join(key, pagename + ".html")
        href = base + url if base else to_site_root + url
        alternates.append(f'<link rel="alternate" hreflang="{meta["hreflang"]}" href="{href}" />')
        if key != here:
            context.setdefault("header_buttons", []).insert(0, {
                "type": "javascript",
                "javascript": f"courseSwitchLanguage('{to_site_root + url}')",
                "tooltip": meta["label"],
                "text": meta["label"],
                "label": f"course-lang-switch btn-lang-{key}",
            })
    context["metatags"] = context.get("metatags", "") + "\n".join(alternates)


# sphinx-book-theme 1.3 writes these attributes in plain English, bypassing gettext.
HARD_CODED_THEME_STRINGS = ("Toggle primary sidebar", "Toggle secondary sidebar", "Main", "Page")


def translate_hard_coded_strings(app: Sphinx, exception: Exception | None) -> None:
    """Translate the theme's hard-coded ``title``/``aria-label`` strings with the build's catalogue."""
    if exception is not None or app.builder.format != "html" or app.config.course_language == "en":
        return
    mapping = {s: app.translator.gettext(s) for s in HARD_CODED_THEME_STRINGS}
    pattern = re.compile(r'(title|aria-label)="(' + "|".join(map(re.escape, mapping)) + r')"')
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = pattern.sub(lambda m: f'{m.group(1)}="{mapping[m.group(2)]}"', text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def drop_duplicate_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Keep one copy of each script of a page.

    sphinx-thebe and sphinx-togglebutton add their inline configuration scripts on ``env-before-read-docs``,
    which Jupyter Book fires more than once per build; a second ``const THEBE_JS_URL`` is a JavaScript
    SyntaxError on every page (the browser tests fail on console errors).
    """
    seen, kept = set(), []
    for script in context.get("script_files", []):
        # the second copy has filename "" where the first has None: compare the file name, then the attributes
        name = getattr(script, "filename", script) or ""
        key = (str(name), tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app: Sphinx) -> dict:
    app.add_config_value("course_language", "en", "html")
    app.add_config_value("course_languages", {}, "html")
    app.add_config_value("course_glossary", "../glossary.yml", "env")
    app.add_directive("course-glossary", CourseGlossary)
    # sphinx-exercise ships no zh_TW catalogue; ours (book/locales) supplies 練習 / 解答.
    app.add_message_catalog("exercise", str(_HERE.parent / "locales"))
    app.connect("config-inited", write_search_dictionary)
    app.connect("doctree-read", keep_label_ids_on_sections, priority=100)
    app.connect("doctree-resolved", drop_unreferenced_numbered_ids)
    app.connect("builder-inited", add_static_files)
    # After sphinx-book-theme has built its header buttons (priority 501).
    app.connect("html-page-context", add_language_links, priority=600)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("build-finished", translate_hard_coded_strings)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
