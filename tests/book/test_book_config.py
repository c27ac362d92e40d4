"""The two languages' configurations and tables of contents differ only where they must."""

import sys

import yaml
from booktools import BOOK, LANGS, ROOT, pages

sys.path.insert(0, str(ROOT / "tools"))
import build_book  # noqa: E402

# What the Chinese override may set: the language itself, the title and author shown to readers, and the
# settings that exist because of the language (search segmentation, theme text, figure/exercise numbering).
ALLOWED_OVERRIDES = {
    ("title",), ("author",),
    ("sphinx", "config", "language"), ("sphinx", "config", "course_language"),
    ("sphinx", "config", "html_search_language"), ("sphinx", "config", "html_search_options"),
    ("sphinx", "config", "html_theme_options", "search_bar_text"), ("sphinx", "config", "numfig_format"),
    ("sphinx", "config", "togglebutton_hint"), ("sphinx", "config", "togglebutton_hint_hide"),
}


def leaf_paths(tree, prefix=()):
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key in ("numfig_format", "html_search_options") or not isinstance(value, dict):
                yield prefix + (key,)
            else:
                yield from leaf_paths(value, prefix + (key,))


def test_chinese_override_sets_only_language_dependent_keys():
    override = yaml.safe_load((ROOT / "_config.zh-tw.yml").read_text(encoding="utf-8"))
    unexpected = set(leaf_paths(override)) - ALLOWED_OVERRIDES
    assert not unexpected, f"_config.zh-tw.yml overrides keys that must be shared: {sorted(unexpected)}"


def test_merged_configurations_differ_only_in_allowed_keys():
    en, zh = build_book.language_config("en"), build_book.language_config("zh-tw")
    differing = {p for p in set(leaf_paths(en)) | set(leaf_paths(zh))
                 if _get(en, p) != _get(zh, p)}
    assert differing <= ALLOWED_OVERRIDES
    assert zh["sphinx"]["config"]["language"] == "zh_TW"
    assert en["execute"]["execute_notebooks"] == "cache" and zh["execute"] == en["execute"]


def _get(tree, path):
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def strip_captions(toc):
    if isinstance(toc, dict):
        return {k: strip_captions(v) for k, v in toc.items() if k != "caption"}
    if isinstance(toc, list):
        return [strip_captions(v) for v in toc]
    return toc


def toc_files(toc) -> list[str]:
    found = [toc["root"]] if "root" in toc else []
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            found.append(chapter["file"])
            found += [s["file"] for s in chapter.get("sections", [])]
    return found


def test_tocs_differ_only_in_captions_and_list_every_page():
    en = yaml.safe_load(build_book.toc_path("en").read_text(encoding="utf-8"))
    zh = yaml.safe_load(build_book.toc_path("zh-tw").read_text(encoding="utf-8"))
    assert strip_captions(en) == strip_captions(zh)
    en_captions = [p["caption"] for p in en["parts"]]
    zh_captions = [p["caption"] for p in zh["parts"]]
    assert all(a != b for a, b in zip(en_captions, zh_captions)), "a zh caption was left untranslated"
    listed = set(toc_files(en))
    for lang in LANGS:
        on_disk = {str(p.with_suffix("")) for p in pages(lang)}
        assert on_disk == listed, f"{lang}: pages not in the ToC {sorted(on_disk - listed)}, " \
                                  f"ToC entries with no page {sorted(listed - on_disk)}"
    assert (BOOK / "references.bib").exists()
