"""The briefkit wheel, as a user installs it: every call of the Python API,
a pack from a DataFrame, a bad pack raising PackError with located
findings, threads rendering side by side, the README's example and the
Dask example on a LocalCluster of two worker processes. Outputs are
compared byte for byte with the command line's (BRIEFKIT_BIN, else
target/debug/briefkit or target/release/briefkit)."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import briefkit

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "mexico-trafficking"
COUNTRIES = ROOT / "examples" / "country-briefs"
IN_CI = os.environ.get("CI") == "true"

STATS = [
    {"id": "helped", "value": 1200, "unit": "people", "label": "People helped",
     "period": "2025", "source": "IOM"},
    {"id": "shelters", "value": 14, "unit": "shelters", "label": "Shelters open",
     "period": "2025", "source": "IOM", "source_url": "https://www.iom.int"},
]
ARTICLE = ('## What happened\n\nIn 2025, {{stat "helped"}} people were helped in '
           '{{stat "shelters"}} shelters.\n')
SETTINGS = {"title": "Help in 2025", "date": "2025-12-01", "organization": "IOM",
            "summary": "A short brief made from Python data.", "key_figures": ["helped"]}


def cli() -> Path:
    for candidate in [os.environ.get("BRIEFKIT_BIN"), ROOT / "target/debug/briefkit",
                      ROOT / "target/release/briefkit"]:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    pytest.fail("no briefkit binary: run cargo build first (or set BRIEFKIT_BIN)")


def cli_build(pack: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(cli()), "build", str(pack), "-o", str(out), "--force", *args],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})


def files_of(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def tool(name: str) -> bool:
    found = shutil.which(name) is not None
    if not found and IN_CI:
        pytest.fail(f"{name} is needed in CI")
    return found


def test_build_a_pack_folder_writes_what_the_command_line_writes(tmp_path):
    artifacts = briefkit.build(EXAMPLE, tmp_path / "py")
    assert [a.format for a in artifacts] == ["pdf", "epub", "docx"]
    for a in artifacts:
        data = a.path.read_bytes()
        assert a.bytes == len(data)
        assert a.sha256 == hashlib.sha256(data).hexdigest()
        assert a.path.name == f"mexico-trafficking.{a.format}"
        assert (a.pages is not None) == (a.format == "pdf")
    assert artifacts[0].pages == 3
    done = cli_build(EXAMPLE, tmp_path / "cli")
    assert done.returncode == 0, done.stderr
    assert files_of(tmp_path / "py") == files_of(tmp_path / "cli")


def test_render_to_bytes_in_memory(tmp_path):
    rendered = briefkit.render(EXAMPLE)
    assert set(rendered) == {"pdf", "epub", "docx"}
    assert rendered["pdf"].startswith(b"%PDF-")
    assert rendered["epub"][:2] == b"PK" and rendered["docx"][:2] == b"PK"
    assert rendered.names["epub"] == "mexico-trafficking.epub"
    assert rendered.pages == {"pdf": 3, "epub": None, "docx": None}
    assert rendered.sha256["pdf"] == hashlib.sha256(rendered["pdf"]).hexdigest()
    # The example's three statistics without a period are warnings, located.
    periods = [w for w in rendered.warnings if w.kind == "statistic-without-period"]
    assert len(periods) == 3 and all(w.file.endswith("stats.csv") and w.line for w in periods)
    # Saved: the files as rendered, under their names, no temporary left.
    saved = rendered.save(tmp_path / "saved")
    assert [a.path.name for a in saved] == [rendered.names[f] for f in ("pdf", "epub", "docx")]
    assert all(a.path.read_bytes() == rendered[a.format] for a in saved)
    assert all(a.sha256 == rendered.sha256[a.format] for a in saved)
    assert sorted(p.name for p in (tmp_path / "saved").iterdir()) == sorted(rendered.names.values())
    only_pdf = briefkit.render(EXAMPLE, formats=["pdf"])
    assert list(only_pdf) == ["pdf"] and only_pdf["pdf"] == rendered["pdf"]
    # The PDF carries the brief's data unless asked not to.
    # (Its dictionaries are in object streams: read it, do not search it.)
    assert briefkit.verify(rendered["pdf"]).ok and b"<pdfaid:part>3<" in rendered["pdf"]
    bare = briefkit.render(EXAMPLE, formats=["pdf"], embed_data=False)
    with pytest.raises(briefkit.VerifyError, match="carries no briefkit data"):
        briefkit.verify(bare["pdf"])
    assert b"<pdfaid:part>2<" in bare["pdf"]


def test_page_images_have_a_key_a_page_and_take_their_settings(tmp_path):
    rendered = briefkit.render(EXAMPLE, formats=["png", "svg"],
                               settings={"png": {"pages": "1-2", "ppi": 36}, "svg": {"pages": 3}})
    assert sorted(rendered) == ["png:1", "png:2", "svg:3"]
    assert rendered.names["png:2"] == "mexico-trafficking-2.png"
    assert rendered["png:1"].startswith(b"\x89PNG\r\n\x1a\n")
    # 36 pixels an inch: an A4 page 298 pixels wide (the IHDR's width).
    assert int.from_bytes(rendered["png:1"][16:20], "big") == 298
    assert rendered["svg:3"].startswith(b"<?xml") and b"<svg" in rendered["svg:3"]
    saved = rendered.save(tmp_path / "pages")
    assert sorted(a.path.name for a in saved) == [
        "mexico-trafficking-1.png", "mexico-trafficking-2.png", "mexico-trafficking-3.svg"]
    assert {a.format for a in saved} == {"png", "svg"}
    done = cli_build(EXAMPLE, tmp_path / "cli", "-f", "png", "--pages", "1-2", "--ppi", "36")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cli" / "mexico-trafficking-1.png").read_bytes() == rendered["png:1"]
    with pytest.raises(ValueError, match="ppi = 5000 is outside"):
        briefkit.Briefkit(["png"], settings={"png": {"ppi": 5000}})


def test_a_pack_from_a_dataframe_is_a_valid_pack_and_the_command_lines_bytes(tmp_path):
    pd = pytest.importorskip("pandas")
    stats = pd.DataFrame(STATS)  # source_url is NaN in the first row: left out
    pack = briefkit.Pack.from_data(SETTINGS, ARTICLE, stats, name="help")
    assert pack.name == "help" and pack.keys is None
    assert sorted(pack.files) == ["article.md", "brief.toml", "stats.json"]
    artifacts = briefkit.build(pack, tmp_path / "py")
    assert [a.path.name for a in artifacts] == ["help.pdf", "help.epub", "help.docx"]
    pdf = tmp_path / "py" / "help.pdf"
    if tool("qpdf"):
        assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0
    if tool("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "1,200" in text and "Help in 2025" in text
    # The same files as a folder: the command line writes the same bytes.
    folder = pack.save(tmp_path / "help")
    done = cli_build(folder, tmp_path / "cli")
    assert done.returncode == 0, done.stderr
    assert files_of(tmp_path / "py") == files_of(tmp_path / "cli")


def png(width: int, height: int) -> bytes:
    """A small RGB PNG: a blue band on white."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(b"\x1f\x5f\xa8" if y < height // 2 else b"\xff\xff\xff"
                           for _ in range(width))
        for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def test_statistics_as_a_list_of_dicts_and_images_as_bytes(tmp_path):
    image = png(64, 32)
    article = ARTICLE + "\n![A map of the region](images/map.png)\n"
    pack = briefkit.Pack.from_data({"brief": SETTINGS, "contact": {"email": "a@example.org"}},
                                   article, STATS, images={"images/map.png": image})
    assert pack.files["images/map.png"] == image
    rendered = briefkit.render(pack)
    assert not [w for w in rendered.warnings if "image" in w.message], rendered.warnings
    # The picture is in the EPUB as it was given, and in the PDF.
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(rendered["epub"])) as z:
        assert any(z.read(n) == image for n in z.namelist() if n.endswith(".png"))
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(rendered["pdf"])
    if tool("pdfimages"):
        listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                                 text=True).stdout
        assert re.search(r"\b64\s+32\b", listing), listing
    # An image the article names but the pack lacks is an error.
    with pytest.raises(briefkit.PackError, match="does not exist"):
        briefkit.render(briefkit.Pack.from_data(SETTINGS, article, STATS))


def test_check_returns_located_findings():
    found = briefkit.check(EXAMPLE)
    assert found and all(not d.is_error for d in found)
    d = found[0]
    assert d.severity == "warning" and d.file.endswith("stats.csv")
    assert d.line == 2 and d.column == 1
    assert "has no period" in d.message and d.hints
    assert str(d).startswith(f"{d.file}:2:1: warning: ")
    # With formats, check renders them in memory: what only rendering finds.
    pack = briefkit.Pack.from_data(SETTINGS, ARTICLE + "\nA snowman: ☃.\n", STATS)
    plain = briefkit.check(pack, system_fonts=False)
    rendered = briefkit.check(pack, formats=["pdf"], system_fonts=False)
    assert not [f for f in plain if "no font has" in f.message]
    [missing] = [f for f in rendered if "no font has the symbol" in f.message]
    assert missing.file == "article.md" and missing.line == 5


def test_a_bad_pack_raises_pack_error_with_the_command_lines_text(tmp_path):
    pack_dir = tmp_path / "bad"
    shutil.copytree(EXAMPLE, pack_dir)
    article = (pack_dir / "article.md").read_text()
    (pack_dir / "article.md").write_text(
        article.replace('{{stat "unicef-children-exploited"}}', '{{stat "unicef-children"}}'))
    with pytest.raises(briefkit.PackError) as caught:
        briefkit.render(pack_dir)
    e = caught.value
    [error] = e.errors
    assert error.message == "unknown statistic id `unicef-children`"
    assert error.file == str(pack_dir / "article.md") and error.line == 40 and error.column
    assert error.hints
    # str() is what `briefkit check` prints (before its closing count).
    check = subprocess.run([str(cli()), "check", str(pack_dir)], capture_output=True,
                           text=True, env={**os.environ, "NO_COLOR": "1"})
    assert check.returncode == 1
    assert str(e) in check.stderr, (str(e), check.stderr)
    assert "error: unknown statistic id `unicef-children`" in str(e)
    assert f"{pack_dir / 'article.md'}:40:" in str(e)
    # Nothing was written by the failed build.
    with pytest.raises(briefkit.PackError):
        briefkit.build(pack_dir, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    # Bad data made in Python: located in the generated statistics file.
    with pytest.raises(briefkit.PackError) as caught:
        briefkit.render(briefkit.Pack.from_data(SETTINGS, ARTICLE,
                                                [dict(STATS[0], value="about 1200"), STATS[1]]))
    assert "non-numeric value `about 1200`" in caught.value.errors[0].message
    assert caught.value.errors[0].file == "stats.json"


def test_batch_rows_return_per_row_results(tmp_path):
    results = briefkit.build_rows(COUNTRIES, tmp_path / "out")
    assert [r.key for r in results] == ["MEX", "GTM", "HND", "SLV", "NIC"]
    assert all(r.ok and len(r.artifacts) == 3 for r in results)
    assert results[2].artifacts[0].path.name == "country-briefs-HND.pdf"
    assert results[2].artifacts[0].row == "HND"
    done = cli_build(COUNTRIES, tmp_path / "cli")
    assert done.returncode == 0, done.stderr
    assert files_of(tmp_path / "out") == files_of(tmp_path / "cli")
    # Some rows only; a row whose statistics are broken fails alone.
    pack_dir = tmp_path / "pack"
    shutil.copytree(COUNTRIES, pack_dir, ignore=shutil.ignore_patterns("out"))
    stats = (pack_dir / "stats.csv").read_text()
    (pack_dir / "stats.csv").write_text(stats.replace("HND,returnees,52000", "HND,returnees,many"))
    results = briefkit.build_rows(pack_dir, tmp_path / "some", rows=["GTM", "HND"])
    assert [(r.key, r.ok) for r in results] == [("GTM", True), ("HND", False)]
    bad = results[1].error
    assert bad.errors[0].row == "HND" and "non-numeric value `many`" in bad.errors[0].message
    assert "in the brief of row `HND`" in str(bad)
    with pytest.raises(briefkit.PackError):
        briefkit.build(pack_dir, tmp_path / "all")
    assert (tmp_path / "all" / "pack-MEX.pdf").is_file()  # the good ones written
    # check: every row's findings, each naming its row.
    errors = [d for d in briefkit.check(pack_dir) if d.is_error]
    assert [d.row for d in errors] == ["HND"]
    # A DataFrame of rows and long-format statistics.
    pd = pytest.importorskip("pandas")
    rows = pd.read_csv(COUNTRIES / "countries.csv")
    long = pd.read_csv(COUNTRIES / "stats.csv")
    pack = briefkit.Pack.from_data(
        {"title": "{{row.name}}", "date": "2026-11-29", "key_figures": ["returnees"]},
        'In 2025, {{stat "returnees"}} people returned to {{row.name}}; '
        '{{stat "region-returnees"}} across the region.\n', long, rows=rows, key="iso3",
        name="c")
    assert pack.keys == ["MEX", "GTM", "HND", "SLV", "NIC"]
    text = briefkit.render(pack, row="NIC", formats="pdf")
    assert text.names["pdf"] == "c-NIC.pdf"


def test_threads_render_side_by_side_with_the_gil_released(tmp_path):
    kit = briefkit.Briefkit(["pdf", "docx"])
    keys = briefkit.Pack.open(COUNTRIES).keys
    pack = briefkit.Pack.open(COUNTRIES)
    alone = {k: kit.render(pack, k) for k in keys}
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = dict(zip(keys, pool.map(lambda k: kit.render(pack, k), keys)))
    assert {k: dict(v) for k, v in together.items()} == {k: dict(v) for k, v in alone.items()}
    # While a long render runs in a thread, this thread keeps running
    # Python: the render does not hold the GIL.
    report = tmp_path / "report"
    subprocess.run([sys.executable, str(ROOT / "scripts/synthetic_report.py"), str(report),
                    "--sections", "60"], check=True)
    long_pack = briefkit.Pack.open(report)
    spins, took = 0, []

    def render_long():
        start = time.perf_counter()
        briefkit.render(long_pack, formats=["pdf"])
        took.append(time.perf_counter() - start)

    worker = threading.Thread(target=render_long)
    worker.start()
    while worker.is_alive():
        spins += 1
    worker.join()
    assert took and took[0] > 0.02
    # Held, the GIL would let this loop run only at each switch interval
    # (5 ms): some tens of turns. Released, it runs freely.
    assert spins > 10_000, (spins, took)


def test_the_readme_example_runs_as_it_is(tmp_path):
    pytest.importorskip("pandas")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- python-example -->\s*```python\n(.*?)```", readme, re.S)
    assert found, "README has no python-example block"
    code = found.group(1)
    assert len(code.strip().splitlines()) <= 12
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["help.docx", "help.epub", "help.pdf"]
    # A valid pack of files: the PDF through qpdf, the EPUB through EPUBCheck.
    out = tmp_path / "out"
    if tool("qpdf"):
        check = subprocess.run(["qpdf", "--check", str(out / "help.pdf")], capture_output=True,
                               text=True)
        assert check.returncode == 0, check.stdout
    jar = Path("/usr/share/java/epubcheck.jar")
    if jar.is_file() and tool("java"):
        epubcheck = subprocess.run(["java", "-jar", str(jar), str(out / "help.epub")],
                                   capture_output=True, text=True)
        said = epubcheck.stdout + epubcheck.stderr
        assert epubcheck.returncode == 0 and "0 fatals / 0 errors / 0 warnings" in said, said
    elif IN_CI:
        pytest.fail("EPUBCheck (/usr/share/java/epubcheck.jar) is needed in CI")
    import zipfile
    with zipfile.ZipFile(out / "help.docx") as z:
        assert z.testzip() is None and "word/document.xml" in z.namelist()


def test_the_dask_example_matches_a_single_process_run(tmp_path):
    pytest.importorskip("dask.distributed")
    script = ROOT / "examples" / "dask" / "render_rows.py"
    single = subprocess.run([sys.executable, str(script), str(tmp_path / "single"), "--single"],
                            capture_output=True, text=True)
    assert single.returncode == 0, single.stderr
    start = time.perf_counter()
    cluster = subprocess.run([sys.executable, str(script), str(tmp_path / "dask"),
                              "--workers", "2"], capture_output=True, text=True, timeout=300)
    assert cluster.returncode == 0, cluster.stderr
    print(f"dask run: {time.perf_counter() - start:.1f} s")
    assert len(files_of(tmp_path / "single")) == 15
    assert files_of(tmp_path / "dask") == files_of(tmp_path / "single")
    # The workers writing the files themselves (shared storage).
    shared = subprocess.run([sys.executable, str(script), str(tmp_path / "shared"),
                             "--workers", "2", "--on-workers"], capture_output=True, text=True,
                            timeout=300)
    assert shared.returncode == 0, shared.stderr
    assert files_of(tmp_path / "shared") == files_of(tmp_path / "single")


def test_the_dask_example_really_uses_worker_processes():
    pytest.importorskip("dask.distributed")
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        pids = set(client.run(os.getpid).values())
        assert len(pids) == 2 and os.getpid() not in pids
        # A briefkit render in each worker.
        sizes = client.gather(client.map(
            lambda k: len(briefkit.render(str(COUNTRIES), row=k, formats=["pdf"])["pdf"]),
            ["MEX", "GTM"]))
        assert all(s > 1000 for s in sizes)


def test_usage_errors_are_python_errors(tmp_path):
    with pytest.raises(ValueError, match="unknown format `odt`"):
        briefkit.Briefkit(["odt"])
    with pytest.raises(ValueError, match="name the row"):
        briefkit.render(COUNTRIES)
    with pytest.raises(ValueError, match="keys: MEX, GTM"):
        briefkit.render(COUNTRIES, row="XXX")
    with pytest.raises(OSError):
        briefkit.Pack.open(tmp_path / "nothing-here")
    with pytest.raises(ValueError, match="need a key"):
        briefkit.Pack.from_data(SETTINGS, ARTICLE, STATS, rows=[{"iso3": "MEX"}])
    # Files in memory that do not make a pack: the caller's mistake, not
    # the host's.
    with pytest.raises(ValueError, match="pack file `../stats.csv`"):
        briefkit.Pack.from_files({"brief.toml": "", "../stats.csv": ""})
    with pytest.raises(ValueError, match="no brief.toml"):
        briefkit.Pack.from_files({"a.md": "", "b.md": ""})


def test_any_dataframe_with_records_works_without_pandas():
    class Frame:
        """Stands for a polars DataFrame: columns and to_dicts()."""
        columns = ["id", "value", "unit", "label", "period", "source"]

        def to_dicts(self):
            # A missing value as a data frame holds it: NaN, left out.
            return [dict(STATS[0], source_url=float("nan")), STATS[1]]

    pack = briefkit.Pack.from_data(SETTINGS, ARTICLE, Frame())
    assert b'"helped"' in pack.files["stats.json"]
    assert b"NaN" not in pack.files["stats.json"]
    assert briefkit.render(pack, formats=["pdf"])["pdf"].startswith(b"%PDF-")


def test_verify_checks_a_published_brief_and_names_a_changed_figure(tmp_path):
    rendered = briefkit.render(EXAMPLE)
    assert briefkit.DEFAULT_FORMATS == ("pdf", "epub", "docx")
    assert briefkit.FORMATS == ("pdf", "epub", "docx", "svg", "png")
    for fmt in briefkit.DEFAULT_FORMATS:
        report = briefkit.verify(rendered[fmt])
        assert report.ok and report.format == fmt, report
        assert report.figures == report.figures_verified == 21, report
        assert report.pack == "mexico-trafficking"
    # A path works too; a changed figure in the EPUB page is named.
    import io
    import zipfile
    source = zipfile.ZipFile(io.BytesIO(rendered["epub"]))
    changed = tmp_path / "changed.epub"
    with zipfile.ZipFile(changed, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("brief.xhtml"):
                data = data.replace(b'data-stat="eclac-women-japan">3,000<',
                                    b'data-stat="eclac-women-japan">3,900<', 1)
            out.writestr(info, data)
    report = briefkit.verify(changed)
    assert not report.ok
    [finding] = [f for f in report.findings if f["kind"] == "figure"]
    assert finding["statistic"] == "eclac-women-japan"
    assert (finding["printed"], finding["expected"]) == ("3,900", "3,000")
    with pytest.raises(briefkit.VerifyError) as e:
        briefkit.verify(b"3,000 women")
    assert "not a PDF, EPUB or DOCX" in str(e.value) and e.value.hint
