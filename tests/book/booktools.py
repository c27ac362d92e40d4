"""Helpers shared by the tests of the book (not a test module)."""

from __future__ import annotations

import io
import json
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
LANGS = ("en", "zh-tw")
PAGE_SUFFIXES = (".md", ".ipynb")

# Characters that exist only in Simplified Chinese (their Traditional forms differ).  Finding one on a zh-TW
# page or label means a Simplified string slipped in (for example from a theme's zh catalogue).
SIMPLIFIED_ONLY = set(
    "这们说时为对发会过还没样种经现问题进后实给应动关开长门见质认让设计论标确数据网络页线级简备态变导选择"
    "总统识图书馆听热读讲务处写东车马语话间远运连钱铁银错阳区国际价优伤药剂疗临试验医师报结显释复杂亚单审"
    "将专业评传递减贝叶组"
)


def pages(lang: str) -> list[Path]:
    """Relative paths of every page (Markdown or notebook) in one language's tree."""
    root = BOOK / lang
    return sorted(p.relative_to(root) for p in root.rglob("*")
                  if p.suffix in PAGE_SUFFIXES and ".ipynb_checkpoints" not in p.parts)


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_shape(source: str) -> list[tuple[int, str]]:
    """A code cell reduced to what parity compares: tokens without comments, with every string replaced.

    Two cells with the same shape differ only in comments, string literals (including f-strings and the
    ``LANG`` value) and layout.
    """
    shape = []
    # Python 3.12 tokenizes an f-string as FSTRING_START, its parts and FSTRING_END; count it as one string.
    start, end = getattr(tokenize, "FSTRING_START", None), getattr(tokenize, "FSTRING_END", None)
    depth = 0
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if start is not None and tok.type == start:
            if depth == 0:
                shape.append((tokenize.STRING, "<str>"))
            depth += 1
            continue
        if depth:
            depth -= tok.type == end
            continue
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                        tokenize.ENDMARKER):
            continue
        shape.append((tok.type, "<str>" if tok.type == tokenize.STRING else tok.string))
    return shape


_FENCE = re.compile(r"^\s*(```|~~~|:::)")
_LABEL = re.compile(r"^\(([A-Za-z0-9][A-Za-z0-9_.:-]*)\)=\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+\S")


def headings_and_labels(markdown: str) -> list[tuple[str | None, str]]:
    """Each Markdown heading with the label on the line before it (None if there is none)."""
    out, in_fence, previous = [], False, ""
    for line in markdown.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and _HEADING.match(line):
            m = _LABEL.match(previous.strip())
            out.append((m.group(1) if m else None, line.strip()))
        if line.strip():
            previous = line
    return out


def page_markdown(path: Path) -> str:
    """All Markdown text of a page (the markdown cells, for a notebook)."""
    if path.suffix == ".ipynb":
        return "\n\n".join(cell_source(c) for c in read_notebook(path)["cells"] if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")
