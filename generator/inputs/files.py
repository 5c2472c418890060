"""The facts/ tree is untrusted: regular files only, no links, every read bounded by the size limit.

A pull request can add any kind of entry under facts/: a symlink to /dev/zero (its st_size is 0, so a
size check before reading passes, and the read never ends), a symlink to a file outside the
repository (whose keys would then be echoed in error messages), a named pipe (a read blocks forever),
a device, a directory named like a fact file, or a file name that is not UTF-8. So:

- `scan` walks facts/ without following links and reports every entry that is not a regular file or
  a directory, every link (symlinks are refused outright, even those that point inside facts/: git
  stores them as links, nothing here needs one, and refusing them all leaves no path to reason about),
  every directory named like a fact file, and every name that is not UTF-8.
- `read_bounded` opens a file with O_NOFOLLOW | O_NONBLOCK, checks with fstat that the open file is a
  regular file, and reads at most limit + 1 bytes whatever st_size says.
- `display` turns a path into text that is safe to print: bytes that are not UTF-8 as \\xNN, control
  and invisible formatting characters as \\xNN or \\uNNNN.

Messages name the entry by its path relative to the project root and never include anything read
from it or from where a link points.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from pathlib import Path

from generator.model import limits as _limits
from generator.model import paths
from generator.model.errors import Problem

FACT_SUFFIX = ".yaml"
#: Under facts/, the folder of source texts: its files are read only when a source names them.
DOCUMENTS = "documents"

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def display(rel: str) -> str:
    """A relative path as printable text: undecodable bytes as \\xNN, invisible characters escaped."""
    out = []
    for char in rel:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape stand-in for a byte that is not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def is_utf8_name(name: str) -> bool:
    """Whether a name from the file system was valid UTF-8 (no surrogateescape stand-ins)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _symlink(rel: str) -> Problem:
    return Problem(
        rel,
        1,
        1,
        "symlink",
        "this is a symbolic link; links are not followed under facts/",
        "replace the link by a copy of the file it points to",
    )


def _not_regular(rel: str, mode: int) -> Problem:
    return Problem(
        rel,
        1,
        1,
        "not-regular-file",
        f"this is {_kind(mode)}, not a regular file",
        "only plain files and folders belong under facts/: remove it",
    )


def _bad_name(rel: str) -> Problem:
    return Problem(
        rel,
        1,
        1,
        "file-name-not-utf8",
        "the file name is not valid UTF-8 (shown with \\x escapes)",
        "rename it with UTF-8 letters, digits and hyphens",
    )


def scan(root: Path, folder: str = "facts") -> tuple[list[Path], list[Problem]]:
    """Every regular *.yaml fact file under root/folder (documents/ excluded), and the entries refused.

    The walk never follows a link. Entries refused anywhere under the folder, documents/ included:
    links, pipes, devices, sockets, names that are not UTF-8, and directories named *.yaml (whose
    contents are still walked). The files come in the order `sorted()` gives their paths.
    """
    base = root / folder
    found: list[Path] = []
    problems: list[Problem] = []
    try:
        top = os.lstat(base)
    except OSError:
        return [], []  # no facts/ at all: validate reports that there are no fact files
    if stat.S_ISLNK(top.st_mode):
        return [], [_symlink(f"{folder}/")]
    if not stat.S_ISDIR(top.st_mode):
        return [], [_not_regular(f"{folder}/", top.st_mode)]
    stack: list[tuple[Path, tuple[str, ...]]] = [(base, ())]
    while stack:
        current, parts = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError as exc:
            rel = display("/".join((folder, *parts))) + "/"
            problems.append(Problem(rel, 1, 1, "file-unreadable", f"cannot list the folder: {exc.strerror}", ""))
            continue
        for entry in entries:
            here = (*parts, entry.name)
            rel = display("/".join((folder, *here)))
            if not is_utf8_name(entry.name):
                problems.append(_bad_name(rel))
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                problems.append(Problem(rel, 1, 1, "file-unreadable", f"cannot read it: {exc.strerror}", ""))
                continue
            is_fact_name = entry.name.endswith(FACT_SUFFIX)
            if stat.S_ISLNK(mode):
                problems.append(_symlink(rel))
            elif stat.S_ISDIR(mode):
                if is_fact_name:
                    problems.append(_not_regular(rel, mode))
                stack.append((Path(entry.path), here))
            elif not stat.S_ISREG(mode):
                problems.append(_not_regular(rel, mode))
            elif is_fact_name and here[0] != DOCUMENTS:
                found.append(Path(entry.path))
    return sorted(found), problems


def read_bounded(path: Path, rel: str, limit: int | None = None) -> tuple[bytes | None, list[Problem]]:
    """The bytes of one regular file, at most `limit`; problems instead of exceptions, never blocking.

    The file is checked with lstat before it is opened (so a device is never opened), opened without
    following a link and without blocking, checked again with fstat on the open descriptor (the entry
    may have been swapped in between), and read up to limit + 1 bytes: st_size is not trusted.
    The limit is MAX_FILE_BYTES unless given.
    """
    limit = _limits.MAX_FILE_BYTES if limit is None else limit
    try:
        before = os.lstat(path)
    except OSError as exc:
        return None, [Problem(rel, 1, 1, "file-unreadable", f"cannot read file: {exc.strerror}", "")]
    if stat.S_ISLNK(before.st_mode):
        return None, [_symlink(rel)]
    if not stat.S_ISREG(before.st_mode):
        return None, [_not_regular(rel, before.st_mode)]
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, [_symlink(rel)]
        return None, [Problem(rel, 1, 1, "file-unreadable", f"cannot read file: {exc.strerror}", "")]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, [_not_regular(rel, info.st_mode)]
        hint = "split the facts into several topic files"
        if info.st_size > limit:
            size = f"file is {info.st_size:,} bytes, more than the limit of {limit:,} bytes"
            return None, [Problem(rel, 1, 1, "file-too-large", size, hint)]
        chunks = []
        left = limit + 1
        while left > 0:
            try:
                chunk = os.read(fd, min(left, 1 << 20))
            except BlockingIOError:
                break  # nothing to read without waiting: not a regular file after all
            except OSError as exc:
                return None, [Problem(rel, 1, 1, "file-unreadable", f"cannot read file: {exc.strerror}", "")]
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:  # st_size said it fits, the read says otherwise (a file growing, a pseudo-file)
            return None, [Problem(rel, 1, 1, "file-too-large", f"file is more than the limit of {limit:,} bytes", hint)]
        return b"".join(chunks), []
    finally:
        os.close(fd)


def read_under(base: Path, relpath: str, rel_base: str, limit: int | None = None) -> tuple[bytes | None, str]:
    """Read base/relpath, refusing a path that leaves base or passes through a link.

    Returns the bytes, or None and the reason in words (which never quotes the file's content).
    """
    limit = _limits.MAX_FILE_BYTES if limit is None else limit
    parts = relpath.replace("\\", "/").split("/")
    if not relpath or relpath.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return None, "is not a plain relative path under facts/"
    current = base
    for part in parts[:-1]:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return None, "is not a file under facts/"
        if stat.S_ISLNK(mode):
            return None, "goes through a symbolic link"
        if not stat.S_ISDIR(mode):
            return None, "is not a file under facts/"
    target = current / parts[-1]
    if not os.path.lexists(target):
        return None, "is not a file under facts/"
    data, problems = read_bounded(target, f"{rel_base}/{relpath}", limit)
    if data is None:
        code = problems[0].code
        if code == "file-too-large":
            return None, f"is more than the limit of {limit:,} bytes"
        if code == "symlink":
            return None, "is a symbolic link"
        if code == "not-regular-file":
            return None, "is not a regular file"
        return None, "cannot be read"
    return data, ""


#: The folder of fact files, relative to the project root.
FACTS_DIR = paths.FACTS.as_posix()


def discover(root: Path) -> list[Path]:
    """Every fact file under facts/, in a stable order (documents/ holds source texts, not facts).

    Only regular files: links, pipes, devices and misnamed folders are left out here and reported
    by `validate` (see generator/inputs/files.py).
    """
    return scan(root, FACTS_DIR)[0]
