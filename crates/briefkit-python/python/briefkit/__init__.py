"""briefkit for Python: turn an article and the statistics it cites into a
briefing pack (PDF, EPUB 3, DOCX), from a pack folder or from data held in
Python (a pandas DataFrame, a list of dicts), with no process to spawn.

    import briefkit, pandas as pd

    stats = pd.DataFrame([{"id": "helped", "value": 1200, "unit": "people",
                           "label": "People helped", "period": "2025",
                           "source": "IOM"}])
    pack = briefkit.Pack.from_data({"title": "Help in 2025", "date": "2025-12-01"},
                                   'In 2025, {{stat "helped"}} people were helped.', stats)
    for artifact in briefkit.build(pack, "out"):
        print(artifact.path, artifact.bytes, artifact.sha256)

The same crates as the command line render the files, so the bytes are the
command line's for the same pack. Rendering releases the GIL: Python threads
render side by side.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _briefkit

__all__ = [
    "Artifact",
    "BriefResult",
    "Briefkit",
    "Diagnostic",
    "FORMATS",
    "DEFAULT_FORMATS",
    "Pack",
    "PackError",
    "Rendered",
    "VerifyError",
    "Verified",
    "build",
    "build_rows",
    "check",
    "render",
    "verify",
]

__version__: str = _briefkit.VERSION

#: The output formats, in build order: ``("pdf", "epub", "docx", "svg", "png")``.
FORMATS: Tuple[str, ...] = tuple(_briefkit.formats())
#: The formats built when none are named: ``("pdf", "epub", "docx")`` (the
#: page images only when asked for).
DEFAULT_FORMATS: Tuple[str, ...] = tuple(_briefkit.default_formats())

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Diagnostic:
    """A finding: an error stops a brief, a warning does not."""

    #: ``"error"`` or ``"warning"``.
    severity: str
    #: The pack file it is in (as the command line names it), if it has a place.
    file: Optional[str]
    #: Line, from 1.
    line: Optional[int]
    #: Column, from 1 (characters).
    column: Optional[int]
    #: What is wrong, in one sentence.
    message: str
    #: How to fix it.
    hints: Tuple[str, ...]
    #: For findings that come in numbers: ``stray-number``,
    #: ``uncited-statistic``, ``statistic-without-period``, ``raw-html``.
    kind: Optional[str]
    #: The key of the batch row whose brief it is about.
    row: Optional[str]

    @property
    def is_error(self) -> bool:
        """Whether it stops the brief."""
        return self.severity == "error"

    def __str__(self) -> str:
        place = ""
        if self.file:
            place = self.file
            if self.line:
                place += f":{self.line}"
                if self.column:
                    place += f":{self.column}"
            place += ": "
        return f"{place}{self.severity}: {self.message}"


def _diagnostics(text: str) -> List[Diagnostic]:
    return [
        Diagnostic(
            severity=d["severity"],
            file=d.get("file"),
            line=d.get("line"),
            column=d.get("column"),
            message=d["message"],
            hints=tuple(d.get("hints") or ()),
            kind=d.get("kind"),
            row=d.get("row"),
        )
        for d in json.loads(text)
    ]


class PackError(Exception):
    """The pack has errors. ``str()`` is the text the command line prints
    (``file:line:column``, the line quoted, hints); ``diagnostics`` holds
    every finding (errors and warnings) as :class:`Diagnostic` values."""

    def __init__(self, text: str, diagnostics: Sequence[Diagnostic]):
        super().__init__(text)
        self.text = text
        self.diagnostics: List[Diagnostic] = list(diagnostics)

    @property
    def errors(self) -> List[Diagnostic]:
        """The errors only."""
        return [d for d in self.diagnostics if d.is_error]

    def __str__(self) -> str:
        return self.text


def _native(call, *args):
    """Calls the extension, turning its pack errors into PackError."""
    try:
        return call(*args)
    except _briefkit.NativePackError as e:
        text, found = e.args
        raise PackError(text, _diagnostics(found)) from None


@dataclass(frozen=True)
class Artifact:
    """A file written."""

    #: Where.
    path: Path
    #: ``"pdf"``, ``"epub"`` or ``"docx"``.
    format: str
    #: Its size in bytes.
    bytes: int
    #: The SHA-256 of its bytes, in hexadecimal.
    sha256: str
    #: Its number of pages (PDF), else None.
    pages: Optional[int]
    #: The key of the batch row it is the brief of.
    row: Optional[str] = None


class Rendered(Dict[str, bytes]):
    """A brief rendered in memory: ``{"pdf": b"...", "epub": b"...",
    "docx": b"..."}``, with the file names, page counts and warnings. Page
    images have a key a page: ``"png:1"``, ``"svg:2"``."""

    def __init__(self, files: Mapping[str, bytes], names: Mapping[str, str],
                 pages: Mapping[str, Optional[int]], sha256: Mapping[str, str],
                 warnings: Sequence[Diagnostic]):
        super().__init__(files)
        #: The file name of each file (``NAME.pdf``, ``NAME-KEY.pdf``,
        #: ``NAME-1.png``).
        self.names: Dict[str, str] = dict(names)
        #: Pages of each format that has pages.
        self.pages: Dict[str, Optional[int]] = dict(pages)
        #: SHA-256 of each file, in hexadecimal.
        self.sha256: Dict[str, str] = dict(sha256)
        #: Warnings of composition and rendering.
        self.warnings: List[Diagnostic] = list(warnings)

    def save(self, out: PathLike) -> List[Artifact]:
        """Writes the files into the folder ``out`` (each written to a
        temporary file, then renamed)."""
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for fmt, data in self.items():
            path = folder / self.names[fmt]
            _briefkit.write_file(os.fspath(path), data)
            written.append(Artifact(path, fmt.split(":")[0], len(data), self.sha256[fmt],
                                    self.pages.get(fmt)))
        return written


@dataclass(frozen=True)
class BriefResult:
    """What became of one brief of a batch (or of a pack that is one brief)."""

    #: The row's key (None for a pack that is one brief).
    key: Optional[str]
    #: The files written (empty when the brief has errors).
    artifacts: List[Artifact]
    #: Its warnings (with ``error``, its findings are there).
    warnings: List[Diagnostic]
    #: Its errors, if it has any.
    error: Optional[PackError]

    @property
    def ok(self) -> bool:
        """Whether the brief was built."""
        return self.error is None


def _today() -> int:
    """The date a pack without one is dated: SOURCE_DATE_EPOCH, else now
    (as the command line does)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is not None:
        try:
            return int(value.strip())
        except ValueError:
            raise ValueError(
                f"SOURCE_DATE_EPOCH=`{value}` is not a whole number of seconds") from None
    return int(time.time())


def _plain(value: Any) -> Any:
    """A value of a record as JSON has it: numpy and pandas scalars as
    Python's, timestamps as ISO text, missing values (None, NaN, NaT) as
    None."""
    if value is None:
        return None
    if hasattr(value, "isoformat") and not isinstance(value, str):
        try:
            if value != value:  # NaT
                return None
        except (TypeError, ValueError):
            pass
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _records(data: Any, what: str) -> List[Dict[str, Any]]:
    """Records from a pandas DataFrame (``to_dict("records")``), a polars
    one (``to_dicts()``) or an iterable of mappings; neither library is
    imported here. Missing values are left out."""
    if hasattr(data, "to_dicts") and hasattr(data, "columns"):
        data = data.to_dicts()
    elif hasattr(data, "to_dict") and hasattr(data, "columns"):
        data = data.to_dict("records")
    records = []
    for i, record in enumerate(data):
        if not isinstance(record, Mapping):
            raise TypeError(f"{what}: record {i + 1} is not a mapping (a dict or a DataFrame row)")
        clean = {}
        for name, value in record.items():
            value = _plain(value)
            if value is not None:
                clean[str(name)] = value
        records.append(clean)
    return records


_TABLES = ("brief", "chart", "contact", "output", "check", "batch")


class Pack:
    """A pack: a folder (or Markdown file) on disk, or one made in Python
    with :meth:`from_data`."""

    def __init__(self, native: Any, files: Optional[Dict[str, bytes]] = None):
        self._native = native
        self._files = files

    @classmethod
    def open(cls, path: PathLike) -> "Pack":
        """Opens a pack folder (with ``brief.toml``) or a Markdown file with
        front matter. Its files are read through the pack's boundary: no
        path it names may leave its folder."""
        native = _native(_briefkit.Pack.open, os.fspath(path), _today())
        return cls(native)

    @classmethod
    def from_files(cls, files: Mapping[str, Union[bytes, str]], name: str = "brief") -> "Pack":
        """A pack from files held in memory: ``{"brief.toml": ..., "article.md":
        ..., "stats.csv": ..., "images/map.png": b"..."}`` (text or bytes)."""
        data = {path: (v.encode("utf-8") if isinstance(v, str) else bytes(v))
                for path, v in files.items()}
        native = _native(_briefkit.Pack.from_files, name, sorted(data.items()), _today())
        return cls(native, files=data)

    @classmethod
    def from_data(
        cls,
        settings: Mapping[str, Any],
        article: str,
        statistics: Any,
        *,
        images: Optional[Mapping[str, bytes]] = None,
        rows: Any = None,
        key: Optional[str] = None,
        name: str = "brief",
    ) -> "Pack":
        """A pack made in Python, with no files.

        ``settings`` is ``brief.toml`` as a dict: ``{"brief": {...},
        "chart": {...}, "contact": {...}}``, or just the ``[brief]`` table
        (``{"title": ..., "date": ...}``). ``article`` is the Markdown
        article (``{{stat "id"}}`` cites a statistic). ``statistics`` is a
        pandas DataFrame or a list of dicts with the statistics file's
        columns (``id``, ``value``, ``unit``, ``label``, ``period``,
        ``source``, ``source_url``, ``note``). ``images`` maps the paths the
        article uses to their bytes. ``rows`` (a DataFrame or a list of
        dicts) with ``key`` (its column that names each brief) makes a batch:
        one brief per row, ``{{row.COLUMN}}`` in the article and settings,
        and the statistics whose ``key`` column is the row's (blank: shared).
        """
        table = {k: v for k, v in settings.items()}
        if not any(k in _TABLES for k in table):
            table = {"brief": table}
        table = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in table.items()}
        table.setdefault("brief", {})
        table["brief"]["statistics"] = "stats.json"
        files: Dict[str, bytes] = {}
        if rows is not None:
            if not key:
                raise ValueError("rows need a key: the column that names each brief")
            table["batch"] = {"rows": "rows.json", "key": key}
            files["rows.json"] = json.dumps(
                _records(rows, "rows"), ensure_ascii=False, indent=2).encode("utf-8")
        toml = _briefkit.toml_from_json(json.dumps(_tables(table), ensure_ascii=False))
        files["brief.toml"] = toml.encode("utf-8")
        files["article.md"] = article.encode("utf-8")
        files["stats.json"] = json.dumps(
            _records(statistics, "statistics"), ensure_ascii=False, indent=2).encode("utf-8")
        for path, data in (images or {}).items():
            files[path] = bytes(data)
        return cls.from_files(files, name)

    @property
    def name(self) -> str:
        """The pack's name: its files are ``NAME.pdf`` (``NAME-KEY.pdf`` for a row)."""
        return self._native.name

    @property
    def keys(self) -> Optional[List[str]]:
        """The keys of a batch pack's rows, in order (None for one brief)."""
        return self._native.keys

    @property
    def files(self) -> Optional[Dict[str, bytes]]:
        """The files of a pack made in memory (None for one on disk)."""
        return None if self._files is None else dict(self._files)

    def save(self, folder: PathLike) -> Path:
        """Writes a pack made in memory as a pack folder (which
        ``briefkit build FOLDER`` builds to the same bytes)."""
        if self._files is None:
            raise ValueError("the pack is already a folder on disk")
        root = Path(folder)
        for rel, data in self._files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return root

    def default_out(self) -> Path:
        """``PACK/out`` for a pack on disk, ``out`` for one in memory."""
        return Path(self._native.default_out_dir())

    def __repr__(self) -> str:
        return f"<briefkit.Pack {self._native.display()}>"


def _tables(table: Mapping[str, Any]) -> Dict[str, Any]:
    """The settings as TOML tables, missing values left out."""
    out: Dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, Mapping):
            inner = {k: _setting(v) for k, v in value.items()}
            out[name] = {k: v for k, v in inner.items() if v is not None}
        else:
            v = _setting(value)
            if v is not None:
                out[name] = v
    return out


def _setting(value: Any) -> Any:
    if isinstance(value, Mapping):
        return _tables(value)
    if isinstance(value, (list, tuple)):
        return [_setting(v) for v in value if v is not None]
    return _plain(value)


def _pack(pack: Union[Pack, PathLike]) -> Pack:
    return pack if isinstance(pack, Pack) else Pack.open(pack)


def _keys(pack: Pack, rows: Optional[Iterable[str]]) -> List[Optional[str]]:
    """The briefs to work on: the rows asked for, every row, or the pack."""
    keys = pack.keys
    if rows is not None:
        if keys is None:
            raise ValueError("rows: the pack has no [batch] section (it is one brief)")
        return list(rows)
    return list(keys) if keys is not None else [None]


class Briefkit:
    """What every brief shares — templates, fonts found, statistics files
    read, the render threads. Make one and render many briefs with it (the
    module's functions keep one per set of options). Safe to share between
    threads: each call releases the GIL while it renders.

    ``formats``: ``["pdf", "epub", "docx"]`` or a part, and the page images
    ``"png"`` and ``"svg"`` (default: each pack's ``[output] formats``, else
    PDF, EPUB and DOCX); ``settings``: each format's settings over the
    packs' ``[output.NAME]`` tables, ``{"png": {"pages": "1", "ppi": 72}}``; ``templates``: a folder overriding the
    embedded templates by name; ``reference_docx``: a DOCX (path or bytes)
    whose styles the DOCX takes; ``pdf_standards``: ``["ua-1", "a-2a"]``,
    ``["a-2b"]``, ``["ua-1", "a-3a"]`` or ``["none"]`` (PDF/A-2 becomes PDF/A-3
    when the PDF carries the brief's data); ``font_paths``: folders of fonts for
    scripts the bundled fonts lack; ``system_fonts``: search the system's
    fonts; ``every_finding``: list every unused statistic; ``threads``:
    render threads (0: one per core); ``embed_data``: whether the outputs
    carry the brief's data (its statistics as CSV and JSON, and their
    provenance), over each pack's ``[output] embed_data`` (default: the
    pack's).
    """

    def __init__(
        self,
        formats: Optional[Sequence[str]] = None,
        *,
        templates: Optional[PathLike] = None,
        reference_docx: Union[None, bytes, PathLike] = None,
        pdf_standards: Optional[Sequence[str]] = None,
        font_paths: Sequence[PathLike] = (),
        system_fonts: bool = True,
        every_finding: bool = False,
        threads: int = 0,
        embed_data: Optional[bool] = None,
        settings: Optional[Mapping[str, Mapping[str, Any]]] = None,
    ):
        if isinstance(formats, str):
            formats = [f for f in formats.split(",") if f.strip()]
        if reference_docx is not None and not isinstance(reference_docx, (bytes, bytearray)):
            reference_docx = Path(reference_docx).read_bytes()
        self._kit = _briefkit.Kit(
            [f.strip() for f in formats or ()],
            None if templates is None else os.fspath(templates),
            None if reference_docx is None else bytes(reference_docx),
            None if pdf_standards is None else list(pdf_standards),
            [os.fspath(p) for p in font_paths],
            system_fonts,
            every_finding,
            threads,
            embed_data,
            [(str(fmt), str(key), json.dumps(_setting(value)))
             for fmt, table in (settings or {}).items()
             for key, value in table.items()],
        )

    def render(self, pack: Union[Pack, PathLike], row: Optional[str] = None) -> Rendered:
        """Renders a brief (the pack, or the row ``row`` of a batch) in
        memory: ``{"pdf": b"...", ...}``. Raises :class:`PackError`."""
        pack = _pack(pack)
        files, warnings = _native(self._kit.render, pack._native, row)
        # A format's key, or for a page image its format and page.
        keys = [f[0] if f[5] is None else f"{f[0]}:{f[5]}" for f in files]
        return Rendered(
            {k: f[2] for k, f in zip(keys, files)},
            {k: f[1] for k, f in zip(keys, files)},
            {k: f[3] for k, f in zip(keys, files)},
            {k: f[4] for k, f in zip(keys, files)},
            _diagnostics(warnings),
        )

    def build_rows(self, pack: Union[Pack, PathLike], out: Optional[PathLike] = None,
                   rows: Optional[Iterable[str]] = None) -> List[BriefResult]:
        """Builds every brief (each row of a batch, or the rows named) into
        ``out`` (default ``PACK/out``): one result per brief, a failing brief
        not stopping the others."""
        pack = _pack(pack)
        folder = os.fspath(out) if out is not None else os.fspath(pack.default_out())
        results = []
        for key, written, warnings, error in self._kit.write_all(
                pack._native, _keys(pack, rows), folder):
            if error is not None:
                text, found = error
                e = PackError(text, _diagnostics(found))
                results.append(BriefResult(key, [], e.diagnostics, e))
                continue
            artifacts = [Artifact(Path(p), f, n, sha, pages, key)
                         for (f, p, n, pages, sha) in written]
            results.append(BriefResult(key, artifacts, _diagnostics(warnings), None))
        return results

    def build(self, pack: Union[Pack, PathLike], out: Optional[PathLike] = None,
              rows: Optional[Iterable[str]] = None) -> List[Artifact]:
        """Builds every brief into ``out`` (default ``PACK/out``) and returns
        the files written. If a brief has errors the others are still
        written, then :class:`PackError` is raised with every failing
        brief's findings."""
        results = self.build_rows(pack, out, rows)
        failed = [r.error for r in results if r.error is not None]
        if failed:
            text = "\n\n".join(e.text for e in failed)
            raise PackError(text, [d for e in failed for d in e.diagnostics])
        return [a for r in results for a in r.artifacts]

    def check(self, pack: Union[Pack, PathLike], rows: Optional[Iterable[str]] = None) -> List[Diagnostic]:
        """Every finding of every brief (the rows named, or all), errors and
        warnings, without writing; with ``formats`` given, those formats are
        rendered in memory too, for what only rendering finds."""
        pack = _pack(pack)
        found: List[Diagnostic] = []
        for key in _keys(pack, rows):
            found.extend(_diagnostics(_native(self._kit.check, pack._native, key)))
        return found


_kits: Dict[Tuple[Any, ...], Briefkit] = {}


def _kit(formats: Optional[Sequence[str]], options: Mapping[str, Any]) -> Briefkit:
    """One Briefkit per set of options, kept: templates, fonts and
    statistics are then read once across calls."""
    if isinstance(formats, str):
        formats = [f for f in formats.split(",") if f.strip()]
    key = (tuple(formats or ()),) + tuple(
        (k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(options.items()))
    try:
        kit = _kits.get(key)
    except TypeError:  # an option that cannot be a key (bytes are fine)
        return Briefkit(formats, **options)
    if kit is None:
        kit = _kits[key] = Briefkit(formats, **options)
    return kit


def render(pack: Union[Pack, PathLike], formats: Optional[Sequence[str]] = None,
           row: Optional[str] = None, **options: Any) -> Rendered:
    """Renders a brief in memory: ``{"pdf": b"...", "epub": ..., "docx": ...}``
    (see :class:`Briefkit` for the options). Raises :class:`PackError`."""
    return _kit(formats, options).render(pack, row)


def build(pack: Union[Pack, PathLike], out: Optional[PathLike] = None,
          formats: Optional[Sequence[str]] = None, rows: Optional[Iterable[str]] = None,
          **options: Any) -> List[Artifact]:
    """Builds a pack's briefs into ``out`` and returns what was written
    (path, format, bytes, sha256, pages). Raises :class:`PackError`."""
    return _kit(formats, options).build(pack, out, rows)


def build_rows(pack: Union[Pack, PathLike], out: Optional[PathLike] = None,
               formats: Optional[Sequence[str]] = None, rows: Optional[Iterable[str]] = None,
               **options: Any) -> List[BriefResult]:
    """Builds each brief of a batch (or the rows named): one
    :class:`BriefResult` per row; a failing row does not stop the others."""
    return _kit(formats, options).build_rows(pack, out, rows)


def check(pack: Union[Pack, PathLike], rows: Optional[Iterable[str]] = None,
          formats: Optional[Sequence[str]] = None, **options: Any) -> List[Diagnostic]:
    """Every finding of a pack (each row of a batch), without writing."""
    return _kit(formats, options).check(pack, rows)


class VerifyError(ValueError):
    """A file that cannot be verified: not a PDF, EPUB or DOCX, damaged,
    from another tool, or built without its data. ``str()`` is the message;
    :attr:`hint` says what to do."""

    def __init__(self, message: str, hint: Optional[str] = None):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Verified:
    """What :func:`verify` found in a published brief."""

    #: ``True`` when no finding is an error.
    ok: bool
    #: ``"pdf"``, ``"epub"`` or ``"docx"``.
    format: str
    #: What made it (``"briefkit 0.1.0"``), its pack and batch row.
    generator: Optional[str]
    pack: Optional[str]
    row: Optional[str]
    #: Statistics in its data, figures found, figures as the data says.
    statistics: int
    figures: int
    figures_verified: int
    #: Each finding: ``level``, ``kind``, ``place``, ``message`` and, where
    #: they apply, ``statistic``, ``printed``, ``expected``, ``source``.
    findings: List[Dict[str, Any]]


def verify(file: Union[PathLike, bytes]) -> Verified:
    """Checks a published brief — a path, or the bytes of a PDF, EPUB or
    DOCX made by briefkit — against the data it carries, as ``briefkit
    verify`` does. Raises :class:`VerifyError` for a file that cannot be
    verified."""
    data = bytes(file) if isinstance(file, (bytes, bytearray, memoryview)) else Path(file).read_bytes()
    try:
        text = _briefkit.verify(data)
    except ValueError as e:
        message = str(e.args[0]) if e.args else str(e)
        hint = e.args[1] if len(e.args) > 1 else None
        raise VerifyError(message, hint) from None
    return Verified(**json.loads(text))
