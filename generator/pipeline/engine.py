"""Stage 6, engine: run MkDocs (or Zensical) into a temporary folder, then swap it in.

A failed or interrupted build leaves the previous site/ exactly as it was. The swap is one atomic
step, so a reader (a web server, `rsync`, the Pages upload) never finds no site/: Linux's
renameat2(RENAME_EXCHANGE) (macOS: renamex_np(RENAME_SWAP)) exchanges the new folder with site/,
and the previous site is deleted after. Where no exchange exists, site/ becomes a symbolic link to
a versioned folder (.site-live-*), flipped by renaming a new link over it (the change from a real
folder to a link has one short gap, the first time only; the previous version is kept until the
next flip, so a reader that has just followed the old link still finds its files).

The engine reads the staged pages (see generator/pipeline/writer.py) through a temporary config that
inherits mkdocs.yml and changes only docs_dir, so a failed engine leaves site_src/ as it was too.
A build that fails because of the machine (disk full, read-only or not permitted) raises
OutputError, a plain message naming the path and what to do, never a traceback.

A warm build rebuilds only the pages that changed. Each MkDocs build records a fingerprint of what it
was built from besides the pages' contents (.generator-cache/engine.json: the configs, the theme
folder, the generator's code, the installed packages), the files of the docs folder and which folder
it swapped in. When the next build finds the same fingerprint and the same site/, it copies site/ into
the temporary folder (times kept), deletes what files since removed had made, and runs MkDocs' `build
--dirty` there (generator/pipeline/mkdocs_dirty.py), which renders only the pages whose Markdown is
newer than their HTML (a page added has none yet); a config, template or package change is a clean
build.
The navigation names each entry's title, so a page that is not read still has its title in the menu of
the pages that are. The record also keeps the published drawings each page fetches, so a drawing no page
fetches any more is deleted. CI's and the Pages workflow's builds are always clean; a test compares a
warm build with a clean one of the same pages.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.inputs.files import display
from generator.inputs.git import source_date_epoch
from generator.outputs import search
from generator.pipeline import drawings

ENGINES = ("mkdocs", "zensical")

#: errno values that say the machine, not the generator, stopped the build, and what to do about each.
ENVIRONMENT_ERRORS = {
    errno.ENOSPC: ("the disk is full", "free some disk space, then build again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or raise the quota, then build again"),
    errno.EFBIG: ("a file is too large for the file system", "build on another file system"),
    errno.EROFS: ("the file system is read-only", "build in a writable copy of the project, or remount it read-write"),
    errno.EACCES: (
        "permission denied",
        "check the owner and mode of the path (ls -ld); make it writable for this user",
    ),
    errno.EPERM: (
        "operation not permitted",
        "check the owner and mode of the path (ls -ld), and `lsattr -d` for the immutable flag (chattr -i)",
    ),
    errno.EBUSY: ("the path is in use (a mount point?)", "build into a folder that is not a mount point"),
    errno.EIO: ("input/output error", "check the disk (dmesg), then build again"),
    errno.EMFILE: ("too many open files", "raise the limit (ulimit -n), then build again"),
    errno.ENFILE: ("too many open files on the system", "close other programs, then build again"),
}


class EngineError(Exception):
    """The site engine failed; its output says why."""


class OutputError(Exception):
    """Writing the output failed for a reason of the machine: a plain message and what to do."""

    def __init__(self, code: int, path: str, detail: str = ""):
        what, todo = ENVIRONMENT_ERRORS[code]
        where = f" ({path})" if path else ""
        super().__init__(f"cannot write the output{where}: {what}{f' [{detail}]' if detail else ''}; {todo}")
        self.errno = code
        self.path = path


def output_error(exc: OSError, root: Path | None = None) -> OutputError | None:
    """The OutputError for an OSError that the machine caused, or None for any other (a bug)."""
    if exc.errno not in ENVIRONMENT_ERRORS:
        return None
    if exc.filename is None:  # an error of write() or close(), which name no file
        return OutputError(exc.errno, "somewhere in the project folder" if root is not None else "")
    return OutputError(exc.errno, _shown(exc.filename, root))


def _shown(path: object, root: Path | None) -> str:
    if path is None:
        return ""
    text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path)
    if root is not None:
        try:
            text = Path(text).relative_to(root).as_posix()
        except ValueError:
            pass
        else:  # a build's temporary copy of site/ or site_src/ is named after the folder it will become
            first, _, rest = text.partition("/")
            match = _LEFTOVER.match(first)
            if match:
                text = first[1 : first.index(f"-{match[1]}-")] + ("/" + rest if rest else "")

    return display(text)


#: The last "[Errno N] ...: 'path'" (Python engines) or "(os error N)" (Rust engines) in an engine's output.
_PY_ERRNO = re.compile(r"\[Errno (\d+)\] [^\n]*?(?:: '([^'\n]*)')?$", re.MULTILINE)
_RUST_ERRNO = re.compile(r"\(os error (\d+)\)")


def engine_output_error(output: str, root: Path, out: Path | None = None) -> OutputError | None:
    """An OutputError when the engine's output shows that it failed on a machine error (disk full...).

    The path is the one the engine names, else `out` (the engine writes nowhere else).
    """
    found = [(int(m[1]), m[2] or "") for m in _PY_ERRNO.finditer(output)]
    found += [(int(m[1]), "") for m in _RUST_ERRNO.finditer(output)]
    for code, path in reversed(found):
        if code in ENVIRONMENT_ERRORS:
            return OutputError(code, _shown(path or out, root), "while the engine wrote the site")
    return None


def command(engine: str, site_dir: Path, strict: bool, config: Path | None = None, dirty: bool = False) -> list[str]:
    """The command line that builds mkdocs.yml (or `config`) into site_dir with the chosen engine;
    `dirty`: MkDocs rebuilds only the pages newer than their HTML in site_dir (see mkdocs_dirty)."""
    if engine == "mkdocs":
        # No --quiet: MkDocs then stops counting warnings and --strict lets broken links pass.
        runner = ["-m", "generator.pipeline.mkdocs_dirty"] if dirty else ["-m", "mkdocs", "build"]
        cmd = [sys.executable, *runner, "--site-dir", str(site_dir)]
        cmd += ["--config-file", str(config)] if config is not None else []
        return cmd + (["--strict"] if strict else [])
    if engine == "zensical":
        exe = Path(sys.executable).with_name("zensical")
        return [str(exe), "build", "--clean"]
    raise EngineError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


#: The folder holding the `generator` package, which mkdocs.yml names a Markdown extension from.
GENERATOR_HOME = Path(__file__).resolve().parents[2]


def engine_path() -> str:
    """PYTHONPATH for an engine process: the generator first (for generator.outputs.passthrough, which
    mkdocs.yml loads), whatever project it builds and wherever it runs from, then the caller's own."""
    return os.pathsep.join([str(GENERATOR_HOME), *filter(None, [os.environ.get("PYTHONPATH")])])


#: What the last MkDocs build was made from and which folder it swapped in (see the module's docstring).
STAMP = Path(".generator-cache") / "engine.json"


def fingerprint(root: Path, engine: str, strict: bool, epoch: str | None) -> str:
    """What a site's HTML depends on besides its pages: two builds with the same fingerprint differ only
    in pages and files whose contents changed, which `build --dirty` rebuilds, and files added or removed."""
    digest = hashlib.sha256()

    def feed(*parts: str | bytes) -> None:
        for part in parts:
            data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big") + data)

    feed(engine, str(strict), epoch or "", sys.version)
    feed(*sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()))
    folders = [GENERATOR_HOME / "generator"]
    for config in [root / "mkdocs.yml", *(overlay for _, overlay in languages(root))]:
        feed(config.name, config.read_bytes())
        settings = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        theme = settings.get("theme") if isinstance(settings, dict) else None
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        if isinstance(custom, str):
            folders.append(root / custom)
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                feed(path.relative_to(folder).as_posix(), path.read_bytes())
    return digest.hexdigest()


def listing(docs: Path) -> list[str]:
    """Every file under the docs folder, sorted, but the lifted drawings (the splice removes them)."""
    found: list[str] = []
    for folder, _dirs, names in os.walk(docs):
        rel = Path(folder).relative_to(docs).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        if prefix.startswith(f"{drawings.FOLDER}/"):
            continue
        found.extend(prefix + name for name in names)
    return sorted(found)


def output_path(relpath: str) -> str:
    """Where a docs file lands in the site: a page in the index.html of its address (search.location)."""
    return search.location(relpath) + "index.html" if relpath.endswith(".md") else relpath


def _forget(site: Path, removed: list[str]) -> None:
    """Delete from a copied site what the files no longer in the docs folder made, and emptied folders."""
    for relpath in removed:
        target = site / output_path(relpath)
        if target.is_file() or target.is_symlink():
            target.unlink()
            parent = target.parent
            while parent != site and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent


def _site_id(out: Path) -> list[int] | None:
    try:
        info = os.stat(out)  # a link to the live folder is followed
    except OSError:
        return None
    # The inode alone is not enough: a folder made after the recorded one was deleted may reuse its number.
    # Its change time is set when it is made or renamed into place, and when an entry is added or removed.
    return [info.st_dev, info.st_ino, info.st_ctime_ns] if stat.S_ISDIR(info.st_mode) else None


def _take_stamp(root: Path) -> Any:
    """The last build's record, removed: the site may change from here on, so until this build records
    its own, the next one is clean."""
    stamp = root / STAMP
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = None
    stamp.unlink(missing_ok=True)
    return recorded


def _warm(recorded: Any, out: Path, key: str) -> tuple[list[str], dict[str, list[str]]] | None:
    """The files the last build's docs folder held and the published drawings each page fetched, when
    `out` is the site it swapped in from the same fingerprint; else None (the build is clean)."""
    site = _site_id(out)
    if not isinstance(recorded, dict) or site is None or recorded.get("key") != key or recorded.get("site") != site:
        return None
    files, refs = recorded.get("files"), recorded.get("refs")
    if not (isinstance(files, list) and all(isinstance(f, str) for f in files) and isinstance(refs, dict)):
        return None
    return files, refs


def _record(root: Path, out: Path, key: str | None, files: list[str], refs: dict[str, list[str]]) -> None:
    stamp = root / STAMP
    site = _site_id(out)
    if key is None or site is None:
        stamp.unlink(missing_ok=True)
        return
    stamp.parent.mkdir(parents=True, exist_ok=True)
    tmp = stamp.with_name(f".{stamp.name}.{os.getpid()}")
    tmp.write_text(json.dumps({"key": key, "site": site, "files": files, "refs": refs}), encoding="utf-8")
    os.replace(tmp, stamp)


def run(
    root: Path,
    out: Path,
    engine: str = "mkdocs",
    strict: bool = True,
    docs_dir: Path | None = None,
    clean: bool = False,
) -> bool:
    """Build the site into a sibling temporary folder and swap it into `out` only on success; True when
    the build was a warm one (only the changed pages rebuilt: see the module's docstring; `clean` never).

    `docs_dir` (a folder under root) replaces mkdocs.yml's docs_dir for this build only.
    """
    root = root.resolve()
    out = out.parent.resolve() / out.name  # not out.resolve(): site/ may be a link to swap, not follow
    docs_dir = docs_dir.resolve() if docs_dir is not None else None
    clean_leftovers(out, root)
    config: Path | None = None
    configs: list[Path] = []
    tmp: Path | None = None
    build_dir: Path | None = None
    key: str | None = None
    files: list[str] = []
    refs: dict[str, list[str]] = {}
    since: int | None = None  # a warm build: when its engine started
    try:
        recorded = _take_stamp(root)
        # The pid in the name lets a later build tell a dead build's leftovers from a running one's.
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-{os.getpid()}-", dir=out.parent))
        build_dir = tmp
        env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": engine_path()}
        epoch = source_date_epoch(root)
        if epoch is not None:
            # MkDocs dates the sitemap's <lastmod> and the .gz header from this: reproducible builds.
            env["SOURCE_DATE_EPOCH"] = epoch
        if engine == "zensical":
            cmd = command(engine, tmp, strict)
            # Zensical takes site_dir from its config only and refuses one outside the project root,
            # so it builds into a folder under root, which is then moved next to `out`.
            build_dir = Path(tempfile.mkdtemp(prefix=f".zensical-build-{os.getpid()}-", dir=root))
            config = _zensical_config(root, build_dir, docs_dir)
            cmd = cmd + (["--strict"] if strict else []) + ["--config-file", str(config)]
        else:
            config = _mkdocs_config(root, docs_dir) if docs_dir is not None else None
            key = fingerprint(root, engine, strict, epoch)
            files = listing(docs_dir or root / _docs_dir(root))
            previous = None if clean else _warm(recorded, out, key)
            if previous is not None:
                # The previous site, times kept (MkDocs compares them with the pages'), in a copy: MkDocs
                # rewrites files in place, and the live site must stay as it is until the swap. What files
                # since removed made goes; what files since added make, MkDocs builds (it has no HTML yet).
                shutil.copytree(out, tmp, symlinks=True, dirs_exist_ok=True)
                gone = sorted(set(previous[0]) - set(files))
                _forget(tmp, gone)
                forgotten = {output_path(relpath) for relpath in gone}
                refs = {page: fetched for page, fetched in previous[1].items() if page not in forgotten}
                since = time.time_ns() - 1_000_000_000  # a coarse file clock may date a write a little early
            cmd = command(engine, tmp, strict, config, dirty=since is not None)
        _engine(cmd, root, env, engine, out)
        # Each other language is a project of its own (mkdocs.<language>.yml: its theme.language, its
        # search index), built from site_src/<language>/ into site/<language>/ after the root one.
        for language, overlay in languages(root):
            pages = (docs_dir or root / _docs_dir(root)) / language
            if not pages.is_dir():
                continue
            made = _language_config(root, overlay, pages, build_dir / language, engine)
            configs.append(made)
            if engine == "zensical":
                lang_cmd = [
                    *command(engine, tmp, strict),
                    *(["--strict"] if strict else []),
                    "--config-file",
                    str(made),
                ]
            else:
                lang_cmd = command(engine, build_dir / language, strict, made, dirty=since is not None)
            _engine(lang_cmd, root, env, engine, out)
        if build_dir != tmp:
            tmp.rmdir()
            shutil.move(str(build_dir), str(tmp))  # a rename when on the same filesystem
        try:
            squeeze_site(tmp, since, refs)
        except drawings.DrawingError as exc:
            raise EngineError(f"the built pages could not get their charts back: {exc}") from None
        swap(tmp, out)
        if engine == "mkdocs":
            _record(root, out, key, files, refs)
        return since is not None
    except OSError as exc:
        fault = output_error(exc, root)
        if fault is None:
            raise
        raise fault from None
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if build_dir is not None and build_dir != tmp and build_dir.exists():
            shutil.rmtree(build_dir, ignore_errors=True)
        if config is not None:
            config.unlink(missing_ok=True)
        for made in configs:
            made.unlink(missing_ok=True)


#: Where white space is content, kept as the engine wrote it: <pre> and <textarea>, and <code> and <kbd>,
#: which Material's style sheet sets to `white-space: pre-wrap` (tests/test_squeeze.py reads the style
#: sheet for any other). Conservative by construction: a "<pre" that is not a tag (inside a script, say)
#: only keeps more text as it was, up to the next closing tag.
_KEEP_WHITESPACE = re.compile(r"<(pre|textarea|code|kbd)\b.*?</\1\s*>", re.S | re.I)
#: A line break and the indentation and blank lines after it. HTML collapses any run of white space to
#: one space where white space is not content, and a line break collapses the same way, so replacing
#: the run by the one line break draws the same page.
_INDENTED_BREAK = re.compile(r"\n[ \t\r\n]+")


def outside_kept(page: str, change: Callable[[str], str]) -> str:
    """`page` with `change` applied to each stretch outside the elements whose white space is content."""
    parts = []
    pos = 0
    for kept in _KEEP_WHITESPACE.finditer(page):
        parts.append(change(page[pos : kept.start()]))
        parts.append(kept.group(0))
        pos = kept.end()
    parts.append(change(page[pos:]))
    return "".join(parts)


def squeeze(page: str) -> str:
    """An engine's HTML without the indentation and blank lines its templates leave, nothing else changed.

    Material's templates indent every line and leave each Jinja tag's line blank: 13-19% of a fact,
    source or derived page (~4.7 kB a page). Only runs of white space that hold a line break are touched;
    every tag, attribute and character of text is kept byte for byte. (A minifier was tried before and
    removed: it re-serialised attributes and text, and turned escaped payload text in inline SVG into live
    markup. This does not parse or re-serialise anything.)
    """
    return outside_kept(page, lambda text: _INDENTED_BREAK.sub("\n", text))


def squeeze_site(folder: Path, since: int | None = None, refs: dict[str, list[str]] | None = None) -> int:
    """Put the lifted drawings back (drawings.splice), publish those many pages share once (drawings.defer),
    then squeeze() every HTML page the engine wrote under `folder` (in a warm build, those written since
    `since`, in ns: the others were squeezed by the build that wrote them); returns the bytes saved.

    `refs` (page -> the published drawings it fetches) is updated for every page squeezed; in a warm build
    it starts as the last build's, and a published drawing no page fetches any more is deleted."""
    refs = {} if refs is None else refs
    saved = 0
    store = folder / drawings.FOLDER
    known: dict[str, str] = {}
    published: dict[str, str] = {}
    for path in sorted(folder.rglob("*.html")):
        if path.is_symlink() or not path.is_file():
            continue
        if since is not None and path.stat().st_mtime_ns < since:
            continue
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # not a page this site's engine wrote: left as it is
        to_root = "../" * (len(path.relative_to(folder).parts) - 1)
        spliced = drawings.defer(drawings.splice(text, known, store), to_root, published)
        squeezed = squeeze(spliced).encode("utf-8")
        if spliced is not text or len(squeezed) < len(data):
            path.write_bytes(squeezed)
            saved += len(spliced.encode("utf-8")) - len(squeezed)
        fetched = drawings.fetched(spliced)
        relpath = path.relative_to(folder).as_posix()
        if fetched:
            refs[relpath] = fetched
        else:
            refs.pop(relpath, None)
    # A warm build squeezed only some pages: the published drawings the others fetch are the recorded ones.
    wanted = {digest for fetched in refs.values() for digest in fetched} if since is not None else None
    drawings.remove(folder, published, wanted)
    return saved


#: The largest peak resident memory (MB) of the engine processes this process ran, read from /proc while
#: each runs (Linux; 0 elsewhere), for the benchmark. Not ru_maxrss: a child's starts from its parent's
#: high-water mark when it executes the engine, so an engine started by a 700 MB generator would report
#: at least 700 MB whatever it used.
engine_peak_mb = 0.0
#: The largest resident memory (MB) of this process when it started an engine: it lives on beside it.
launcher_rss_mb = 0.0


def status_mb(pid: int, field: str = "VmHWM:") -> float:
    """One of /proc/<pid>/status's sizes (VmHWM: the peak resident memory) of a running process, in MB (0
    if unreadable)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def _engine(cmd: list[str], root: Path, env: dict[str, str], engine: str, out: Path) -> None:
    """Run one engine build; a failure raises OutputError (the machine's fault) or EngineError."""
    global engine_peak_mb, launcher_rss_mb
    launcher_rss_mb = max(launcher_rss_mb, status_mb(os.getpid(), "VmRSS:"))
    proc = subprocess.Popen(
        cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace"
    )
    done = threading.Event()

    def watch() -> None:
        global engine_peak_mb
        while not done.wait(0.25):
            engine_peak_mb = max(engine_peak_mb, status_mb(proc.pid))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        stdout, stderr = proc.communicate()
    finally:
        done.set()
        watcher.join()
    if proc.returncode != 0:
        output = f"{stdout}{stderr}"
        fault = engine_output_error(output, root, out)
        if fault is not None:
            raise fault
        raise EngineError(f"{engine} build failed:\n{output}".rstrip())


def languages(root: Path) -> list[tuple[str, Path]]:
    """The other languages' projects beside mkdocs.yml: (language, mkdocs.<language>.yml)."""
    found = []
    for path in sorted(root.glob("mkdocs.*.yml")):
        language = path.name[len("mkdocs.") : -len(".yml")]
        if re.fullmatch(r"[a-z]{2,3}", language):
            found.append((language, path))
    return found


def _docs_dir(root: Path) -> str:
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    return str(config.get("docs_dir", "docs"))


def _merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """MkDocs' INHERIT rule: dictionaries merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _language_config(root: Path, overlay: Path, docs_dir: Path, site_dir: Path, engine: str) -> Path:
    """A temporary config for one language's project: mkdocs.<language>.yml over mkdocs.yml, reading
    its pages from `docs_dir`. MkDocs follows the overlay's INHERIT itself; for Zensical, which reads
    one file, the two are merged here by MkDocs' own rule."""
    fd, name = tempfile.mkstemp(prefix=f".mkdocs-build-{os.getpid()}-", suffix=".yml", dir=root)
    docs = docs_dir.relative_to(root).as_posix()
    if engine == "zensical":
        base = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
        extra = yaml.safe_load(overlay.read_text(encoding="utf-8")) or {}
        extra.pop("INHERIT", None)
        merged = _zensical_search(_merge(base, extra))
        merged.update(docs_dir=docs, site_dir=site_dir.relative_to(root).as_posix())
        text = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False)
    else:
        text = f"INHERIT: {overlay.name}\ndocs_dir: {docs}\n"
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return Path(name)


def clean_leftovers(out: Path, root: Path | None = None) -> list[Path]:
    """Remove what killed builds left: temporary folders next to `out`, Zensical's and the configs under root.

    The live folder that a site/ link points to is never removed, nor anything of a running build.
    """
    removed = []
    live = os.readlink(out) if os.path.islink(out) else None
    candidates = sorted(out.parent.glob(f".{out.name}-*"))
    candidates += sorted((root or out.parent).glob(".zensical-build-*"))
    candidates += sorted((root or out.parent).glob(".mkdocs-build-*.yml"))
    for path in candidates:
        match = _LEFTOVER.match(path.name)
        if match is None or path.name == live:
            continue
        if _alive(int(match[2])):
            continue  # a build running right now in another process
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


#: Names of a build's temporary entries: .site-build-<pid>-*, .site-live-<pid>-*, .site-link-<pid>-*, ...
_LEFTOVER = re.compile(r"^\.[^/]*?-(build|live|link|old)-(\d+)-")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _zensical_search(config: dict[str, Any]) -> dict[str, Any]:
    """The config with Zensical's own search on. mkdocs.yml turns Material's search plugin off because the
    generator writes its index (search/search_index.json); Zensical reads the same entry for its built-in
    search, whose client fetches search.json instead, which it writes empty when the entry says off."""
    plugins = []
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("search"), dict):
            plugin = {"search": {k: v for k, v in plugin["search"].items() if k != "enabled"}}
        plugins.append(plugin)
    return {**config, "plugins": plugins} if "plugins" in config else config


def _zensical_config(root: Path, site_dir: Path, docs_dir: Path | None = None) -> Path:
    base = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    merged = _zensical_search(base)
    merged["site_dir"] = site_dir.name
    if docs_dir is not None:
        merged["docs_dir"] = docs_dir.relative_to(root).as_posix()
    config = root / ".zensical.yml"
    config.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config


def _mkdocs_config(root: Path, docs_dir: Path) -> Path:
    """A config beside mkdocs.yml that inherits it and reads the pages from docs_dir."""
    fd, name = tempfile.mkstemp(prefix=f".mkdocs-build-{os.getpid()}-", suffix=".yml", dir=root)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"INHERIT: mkdocs.yml\ndocs_dir: {docs_dir.relative_to(root).as_posix()}\n")
    return Path(name)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # Linux, <linux/fs.h>
_RENAME_SWAP = 2  # macOS, <stdio.h>
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


@functools.cache
def libc() -> ctypes.CDLL | None:
    """The C library, for the calls Python has no wrapper for (renameat2, malloc_trim); None if absent."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to load
        return None


def exchange(a: Path, b: Path) -> bool:
    """Exchange two existing paths in one atomic step; False when this system or file system cannot."""
    clib = libc()
    if clib is None:
        return False
    renameat2 = getattr(clib, "renameat2", None)
    renamex_np = getattr(clib, "renamex_np", None)
    if renameat2 is not None:
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    elif renamex_np is not None:  # pragma: no cover - macOS
        renamex_np.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        result = renamex_np(os.fsencode(a), os.fsencode(b), _RENAME_SWAP)
    else:  # pragma: no cover - neither call in this C library
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap(new: Path, out: Path) -> None:
    """Put the folder `new` in place of `out` in one atomic step; the previous site is deleted after.

    There is no moment without `out`: an exchange (renameat2), or when `out` is a link (or no exchange
    exists here) a new link renamed over it. `new` is gone afterwards either way.
    """
    if os.path.islink(out):
        _flip(new, out)
        return
    if not os.path.lexists(out):
        try:
            os.rename(new, out)  # nothing to replace
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise  # else another build has just made `out`: exchange with it below
    if exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous site
        return
    # No exchange on this system: make `out` a link to a versioned folder, flipped from now on.
    # Turning the real folder into a link needs two renames: the one short gap, once.
    old = out.with_name(f".{out.name}-old-{os.getpid()}-{os.urandom(4).hex()}")
    os.rename(out, old)
    _flip(new, out)
    shutil.rmtree(old, ignore_errors=True)


def _flip(new: Path, out: Path) -> None:
    """Point the link `out` (or a new one) at `new`, renamed to a live name.

    The folder the link pointed at before is kept until the next flip: a reader that has just read
    the old link still finds its files. Older versions of this process or of dead builds are removed.
    """
    token = f"{os.getpid()}-{os.urandom(4).hex()}"
    live = out.with_name(f".{out.name}-live-{token}")
    link = out.with_name(f".{out.name}-link-{token}")
    previous = os.readlink(out) if os.path.islink(out) else None
    os.rename(new, live)
    os.symlink(live.name, link)
    os.replace(link, out)  # atomic: a rename over a link replaces it
    for folder in out.parent.glob(f".{out.name}-live-*"):
        match = _LEFTOVER.match(folder.name)
        if folder.name in (live.name, previous) or match is None:
            continue
        if int(match[2]) == os.getpid() or not _alive(int(match[2])):
            shutil.rmtree(folder, ignore_errors=True)
