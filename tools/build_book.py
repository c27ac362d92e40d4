"""Build the bilingual course site: one Sphinx build per language, assembled into one site.

    python tools/build_book.py                      # both languages -> _build/site/{index.html,en/,zh-tw/}
    python tools/build_book.py --lang zh-tw         # one language
    python tools/build_book.py --intranet           # serve widget JavaScript and MathJax from the site itself,
                                                    # taken from the npm registry at build time

Plain Python, so the same command works on Windows, macOS and Linux.  ``_config.yml`` and ``_toc.yml`` are
the source of truth; the Chinese build merges ``_config.zh-tw.yml`` over ``_config.yml`` and uses
``_toc.zh-tw.yml``.  Every build runs with warnings as errors and executes the notebooks (with a cache), so
a cell error or a Sphinx warning fails the build.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "zh-tw")
BUILD = ROOT / "_build"
SITE = BUILD / "site"
# What the intranet option serves from the site instead of public CDNs: exact versions from the npm registry,
# fetched at build time (nothing third-party is committed).  package -> (folder in the tarball, files or
# sub-folders to take, folder under _static/).  MathJax needs its fonts and the parts it loads on demand.
NPM_STATIC = BUILD / "npm-assets" / "_static"
NPM_ASSETS = {
    "requirejs@2.3.8": ("package", ["require.js"], "widgets"),
    "@jupyter-widgets/html-manager@1.0.15": ("package/dist", ["embed-amd.js"], "widgets"),
    "mathjax@3.2.2": ("package/es5", ["tex-mml-chtml.js", "output/chtml", "input/tex/extensions", "a11y", "sre",
                                      "ui"], "mathjax"),
}


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


def fetch_npm_assets(static: Path) -> None:
    """Download :data:`NPM_ASSETS` from the npm registry with ``npm pack`` and unpack them into ``static``."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("--intranet needs npm (Node.js) on the PATH")
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


def write_config(lang: str, intranet: bool) -> Path:
    """Write the merged configuration of ``lang`` into its build folder and return its path."""
    config = language_config(lang)
    sphinx = config.setdefault("sphinx", {})
    # Jupyter Book resolves local extension paths relative to the config file; this one is generated, so
    # make them absolute (relative to the repository root, as written in _config.yml).
    sphinx["local_extensions"] = {name: str(ROOT / path) for name, path in
                                  (sphinx.get("local_extensions") or {}).items()}
    if intranet:
        cfg = sphinx.setdefault("config", {})
        cfg["html_static_path"] = list(cfg.get("html_static_path", [])) + [str(NPM_STATIC)]
        # Paths are relative to _static/ (Sphinx adds the prefix).
        cfg["nb_ipywidgets_js"] = {"widgets/require.js": {}, "widgets/embed-amd.js": {}}
        cfg["mathjax_path"] = "mathjax/tex-mml-chtml.js"
    out = BUILD / lang
    out.mkdir(parents=True, exist_ok=True)
    path = out / "_config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def package_fingerprint() -> str:
    """A hash of the dosecourse package's source (code and labels)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "dosecourse").rglob("*")):
        if path.suffix in (".py", ".toml"):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
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


def build_language(lang: str, intranet: bool) -> subprocess.CompletedProcess:
    invalidate_stale_execution_cache(lang)
    config = write_config(lang, intranet)
    cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build",
           str(ROOT / "book" / lang), "--config", str(config), "--toc", str(toc_path(lang)),
           "--path-output", str(BUILD / lang), "--builder", "html", "-W", "-n", "--keep-going",
           # Re-read every page (notebook execution stays cached), so no page is stale after a code change.
           "--all"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")


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
    parser.add_argument("--intranet", "--widgets-from-npm", dest="intranet", action="store_true",
                        help="take require.js, the ipywidgets HTML manager and MathJax from the npm registry at "
                             "build time and serve them from the site (for intranets without CDN access)")
    args = parser.parse_args(argv)
    if args.intranet and not NPM_STATIC.exists():
        fetch_npm_assets(NPM_STATIC)  # once, before the parallel builds use it
    # The languages build in parallel: each executes its own notebooks, and the machine has cores for both.
    with ThreadPoolExecutor(max_workers=len(args.lang)) as pool:
        results = dict(zip(args.lang, pool.map(lambda lang: build_language(lang, args.intranet),
                                               args.lang)))
    failed = [lang for lang, r in results.items() if r.returncode != 0]
    for lang, result in results.items():
        print(f"===== {lang}: {'FAILED' if lang in failed else 'ok'}")
        print((result.stdout + result.stderr)[-6000:] if lang in failed else result.stdout[-600:])
    if failed:
        return 1
    assemble(args.lang)
    print(f"Site: {SITE / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
