"""Build the bilingual course site: one Sphinx build per language, assembled into one site.

    python tools/build_book.py                      # both languages -> _build/site/{index.html,en/,zh-tw/}
    python tools/build_book.py --lang zh-tw         # one language
    python tools/build_book.py --cdn                # load MathJax from a public CDN instead of the site

Plain Python, so the same command works on Windows, macOS and Linux.  ``_config.yml`` and ``_toc.yml`` are
the source of truth; the Chinese build merges ``_config.zh-tw.yml`` over ``_config.yml`` and uses
``_toc.zh-tw.yml``.  Every build runs with warnings as errors and executes the notebooks (with a cache), so
a cell error or a Sphinx warning fails the build.

The widgets: first every widget's states are precomputed (``dosecourse.chapters.widgets.export_all``, two
processes, cached by the package's fingerprint) into ``_build/widget-states/``, which each language build
serves from ``_static/widget-states/``; then the notebooks execute with ``DOSECOURSE_SITE=1``, so each widget
renders as HTML controls that swap in those states (no kernel, server or network needed to use them).

The log streams as it comes, each line prefixed with its language, and a summary gives each notebook's
execution time.

MathJax is served from the site itself, taken from the npm registry at build time (once, then cached in
``_build/npm-assets``), so every page, math included, works from ``file://`` and with no network at all.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "zh-tw")
BUILD = ROOT / "_build"
SITE = BUILD / "site"
WIDGET_STATES = BUILD / "widget-states"
# What the site serves itself instead of loading it from a public CDN: an exact version from the npm
# registry, fetched at build time (nothing third-party is committed).  package -> (folder in the tarball, files
# or sub-folders to take, folder under _static/).  MathJax needs its fonts and the parts it loads on demand.
# (The widgets need no third-party JavaScript: they are plain HTML and book/_static/course-widgets.js.)
NPM_STATIC = BUILD / "npm-assets" / "_static"
NPM_ASSETS = {
    # Without "sre" (the speech-rule engine, 3.9 MB per language): screen readers still get MathML from the
    # tex-mml-chtml component's assistive-mml; only the menu's optional speech explorer needs it.
    "mathjax@3.2.2": ("package/es5", ["tex-mml-chtml.js", "output/chtml", "input/tex/extensions", "a11y", "ui"],
                      "mathjax"),
}
NPM_REQUIRED = ["mathjax/tex-mml-chtml.js", "mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff"]
"""Files the site cannot work without; the download is checked against them."""


def deep_merge(base: dict, override: dict) -> dict:
    """Return ``base`` with ``override`` merged in, recursively for nested mappings."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def language_config(lang: str) -> dict:
    """The Jupyter Book configuration of one language (the base file, plus the override for Chinese)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    if lang != "en":
        override = yaml.safe_load((ROOT / f"_config.{lang}.yml").read_text(encoding="utf-8"))
        config = deep_merge(config, override)
    return config


def toc_path(lang: str) -> Path:
    return ROOT / ("_toc.yml" if lang == "en" else f"_toc.{lang}.yml")


def npm_assets_missing(static: Path) -> list[str]:
    """The files of :data:`NPM_REQUIRED` not present under ``static``."""
    return [name for name in NPM_REQUIRED if not (static / name).is_file()]


def fetch_npm_assets(static: Path) -> None:
    """Download :data:`NPM_ASSETS` from the npm registry with ``npm pack``, unpack them into ``static`` and check
    that every required file arrived."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("the build takes MathJax from the npm registry and needs npm (Node.js) on the PATH; "
                 "or build with --cdn")
    if static.exists():
        shutil.rmtree(static)
    with tempfile.TemporaryDirectory() as tmp:
        for spec, (root, members, folder) in NPM_ASSETS.items():
            out = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", tmp], check=True,
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            with tarfile.open(Path(tmp, out)) as tar:
                for info in tar.getmembers():
                    rel = info.name[len(root) + 1:] if info.name.startswith(root + "/") else None
                    if info.isfile() and rel and any(rel == m or rel.startswith(m + "/") for m in members):
                        target = static / folder / rel
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(tar.extractfile(info).read())
    missing = npm_assets_missing(static)
    if missing:
        sys.exit(f"the npm download of MathJax lacks {missing}")


def write_config(lang: str, cdn: bool, states: Path) -> Path:
    """Write the merged configuration of ``lang`` into its build folder and return its path.

    ``states`` holds ``<lang>/widget-states/``, served as ``_static/widget-states/``.
    """
    config = language_config(lang)
    sphinx = config.setdefault("sphinx", {})
    # Jupyter Book resolves local extension paths relative to the config file; this one is generated, so
    # make them absolute (relative to the repository root, as written in _config.yml).
    sphinx["local_extensions"] = {name: str(ROOT / path) for name, path in
                                  (sphinx.get("local_extensions") or {}).items()}
    cfg = sphinx.setdefault("config", {})
    cfg["html_static_path"] = list(cfg.get("html_static_path", [])) + [str(states / lang)]
    if not cdn:
        cfg["html_static_path"].append(str(NPM_STATIC))
        # Paths are relative to _static/ (Sphinx adds the prefix).
        cfg["mathjax_path"] = "mathjax/tex-mml-chtml.js"
    out = BUILD / lang
    out.mkdir(parents=True, exist_ok=True)
    path = out / "_config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def package_fingerprint() -> str:
    """A hash of the dosecourse package's source (code, labels, data) and of every installed library's version.

    A notebook's outputs depend on both: a new numpy or matplotlib can change a number or a figure as surely as
    an edit to dosecourse can.
    """
    digest = hashlib.sha256()
    for path in sorted((ROOT / "dosecourse").rglob("*")):
        if path.suffix in (".py", ".toml", ".json"):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(versions).encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def invalidate_stale_execution_cache(lang: str) -> None:
    """Drop the notebook execution cache of ``lang`` when the package has changed since it was filled.

    jupyter-cache keys a notebook on its own code only, so after a change to ``dosecourse`` a cached notebook
    would keep showing the old numbers.  The cache stays valid while the package is unchanged.
    """
    cache = BUILD / lang / "_build" / ".jupyter_cache"
    stamp = BUILD / lang / "dosecourse.sha256"
    fingerprint = package_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    if cache.exists():
        shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint)


def widget_states(langs: list[str]) -> Path:
    """Precompute every widget's site states for ``langs`` (cached by :func:`package_fingerprint`).

    Returns the folder holding ``<lang>/widget-states/<widget>/``.
    """
    from dosecourse.chapters import widgets

    folder = WIDGET_STATES / package_fingerprint()[:16]
    todo = [lang for lang in langs if not (folder / lang / "complete").exists()]
    if todo:
        start = time.perf_counter()
        for lang in todo:
            shutil.rmtree(folder / lang, ignore_errors=True)
        keys = widgets.export_all(folder, todo, workers=2)
        for lang in todo:
            (folder / lang / "complete").write_text("\n".join(keys), encoding="utf-8")
        size = sum(p.stat().st_size for lang in todo for p in (folder / lang).rglob("*") if p.is_file())
        print(f"widget states: {len(keys)} widgets x {len(todo)} languages in {time.perf_counter() - start:.0f} s, "
              f"{size / 1e6:.1f} MB", flush=True)
    else:
        print(f"widget states: cached ({folder.name})", flush=True)
    for old in WIDGET_STATES.iterdir():
        if old.is_dir() and old != folder:
            shutil.rmtree(old)
    return folder


_EXECUTED = re.compile(r"(?P<page>[^\s:]+\.ipynb).*?Executed notebook in (?P<seconds>[\d.]+) seconds")


def build_language(lang: str, cdn: bool, states: Path) -> tuple[int, list[str]]:
    """Build one language, streaming its log (each line prefixed ``[lang]``); return the exit code and log."""
    invalidate_stale_execution_cache(lang)
    config = write_config(lang, cdn, states)
    cmd = [sys.executable, "-u", "-c", "from jupyter_book.cli.main import main; main()", "build",
           str(ROOT / "book" / lang), "--config", str(config), "--toc", str(toc_path(lang)),
           "--path-output", str(BUILD / lang), "--builder", "html", "-W", "-n", "--keep-going",
           # Re-read every page (notebook execution stays cached), so no page is stale after a code change.
           "--all"]
    env = {**os.environ, "DOSECOURSE_SITE": "1", "PYTHONUNBUFFERED": "1"}
    lines: list[str] = []
    with subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          encoding="utf-8", errors="replace", env=env) as proc:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            with _PRINT:
                print(f"[{lang}] {line}", end="", flush=True)
    return proc.returncode, lines


_PRINT = threading.Lock()


def execution_times(lines: list[str]) -> list[tuple[str, float]]:
    """(page, seconds) of every notebook executed, from a build log."""
    found = []
    for line in lines:
        m = _EXECUTED.search(line)
        if m:
            found.append((Path(m.group("page")).name, float(m.group("seconds"))))
    return found


ROOT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Oncology Dose Optimization · 腫瘤藥物劑量最佳化</title>
<link rel="alternate" hreflang="en" href="en/index.html">
<link rel="alternate" hreflang="zh-Hant-TW" href="zh-tw/index.html">
<style>
 body {{ font-family: system-ui, "Noto Sans TC", sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; }}
 a {{ display: block; font-size: 1.4rem; margin: 1rem 0; }}
</style>
<script>
// Open the language the browser prefers, unless the reader came here to choose (?choose).
if (!location.search.includes("choose")) {{
  const prefs = navigator.languages || [navigator.language || "en"];
  const zh = prefs.find(l => l.toLowerCase().startsWith("zh"));
  const en = prefs.find(l => l.toLowerCase().startsWith("en"));
  const pick = zh && (!en || prefs.indexOf(zh) < prefs.indexOf(en)) ? "zh-tw" : "en";
  location.replace(pick + "/index.html");
}}
</script>
</head>
<body>
<h1>{title_en}<br>{title_zh}</h1>
<a href="en/index.html" hreflang="en" lang="en">English</a>
<a href="zh-tw/index.html" hreflang="zh-Hant-TW" lang="zh-Hant-TW">繁體中文（台灣）</a>
</body>
</html>
"""


def assemble(langs: list[str]) -> None:
    """Copy each language's HTML into ``_build/site/<lang>/`` and write the root page."""
    SITE.mkdir(parents=True, exist_ok=True)
    for lang in langs:
        target = SITE / lang
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(BUILD / lang / "_build" / "html", target)
    (SITE / "index.html").write_text(ROOT_PAGE.format(title_en=language_config("en")["title"],
                                                      title_zh=language_config("zh-tw")["title"]),
                                     encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", nargs="+", choices=LANGS, default=list(LANGS))
    parser.add_argument("--cdn", action="store_true",
                        help="load MathJax from a public CDN instead of serving it from the site (by default it is "
                             "taken from the npm registry at build time; the widgets never need a CDN)")
    args = parser.parse_args(argv)
    if not args.cdn and npm_assets_missing(NPM_STATIC):
        fetch_npm_assets(NPM_STATIC)  # once, before the parallel builds use it
    start = time.perf_counter()
    states = widget_states(args.lang)
    # The languages build in parallel: each executes its own notebooks, and the machine has cores for both.
    with ThreadPoolExecutor(max_workers=len(args.lang)) as pool:
        results = dict(zip(args.lang, pool.map(lambda lang: build_language(lang, args.cdn, states),
                                               args.lang)))
    failed = [lang for lang, (code, _) in results.items() if code != 0]
    for lang, (code, lines) in results.items():
        times = execution_times(lines)
        print(f"===== {lang}: {'FAILED' if code else 'ok'}; {len(times)} notebooks executed"
              + (f", slowest {max(times, key=lambda x: x[1])[0]} ({max(s for _, s in times):.1f} s)" if times else
                 " (all cached)"))
        for page, seconds in sorted(times, key=lambda x: -x[1]):
            print(f"      {seconds:7.1f} s  {page}")
    if failed:
        return 1
    assemble(args.lang)
    print(f"Site: {SITE / 'index.html'} (built in {time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
