"""Brief templates compiled once and kept: in memory for the process, and in the user's cache
folder for the next ``planner brief``.

Compiling the brief's templates (parsing them and generating the sandbox's Python code) takes
about a tenth of a second, every time a process renders a brief; jinja2 can keep the compiled
code instead (its bytecode cache). A kept template is used only if its source is the same to
the byte (jinja2 compares a checksum), and only by the same jinja2, Python and sandbox: the
key of every kept template carries a hash of this package's code that generates and configures
it (``sandbox.py``, ``render.py``), so a planner whose sandbox changed compiles anew.

The cache is only a cache: a folder that cannot be made or written, a file that cannot be read
or is damaged, and the template is compiled as if nothing were kept, without a word.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from planner.domain.resources import cache_dir, keep_in_cache

_FOLDER = "templates"  # under the planner's cache folder
_SUFFIX = ".jinja"


@functools.cache
def _generator() -> str:
    """A hash of what makes a template's code: jinja2's version and the planner's code that
    sets the sandbox up (its code generator, its environment's options)."""
    digest = hashlib.sha256(jinja2.__version__.encode())
    here = Path(__file__).resolve().parent
    for name in ("sandbox.py", "render.py", "compiled.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


class CompiledTemplates(BytecodeCache):
    """jinja2's bytecode cache, kept in ``folder`` (None: in memory only)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, bytes] = {}

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{_generator()}|{name}|{filename}".encode()).hexdigest()

    def _file(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{key}{_SUFFIX}"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._memory.get(bucket.key)
        path = self._file(bucket.key)
        if data is None and path is not None:
            try:
                data = path.read_bytes()
            except OSError:
                return
        if not data:
            return
        try:
            bucket.bytecode_from_string(data)  # a different source or Python: left empty
        except Exception:  # a damaged file: compiled anew, and written over
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        self._memory[bucket.key] = data
        path = self._file(bucket.key)
        if path is not None:
            keep_in_cache(path, data)  # if it cannot, the next process compiles it again


@functools.cache
def compiled_templates() -> CompiledTemplates:
    """The process's cache of compiled templates, kept in the user's cache folder."""
    try:
        folder: Path | None = cache_dir() / _FOLDER
    except Exception:  # no home folder to find one in
        folder = None
    return CompiledTemplates(folder)
