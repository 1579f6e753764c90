"""`doctor --save DIR` and `doctor --from DIR` against a directory someone else prepared: a
link already in DIR is replaced, never written through; only regular files of a page's size
are read back (a link to /dev/zero, a 3 GB sparse file, a FIFO: one clear line, at once);
meta.json's values are checked (no `NaN` reaches the JSON or the report).

The --from runs that could hang or eat the memory if this regressed run in a subprocess with
a time limit and an address-space limit."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys

import pytest
from test_doctor_cli import PAGES, doctor, doctor_site  # noqa: F401 - doctor_site is a fixture

from lillenews.doctor.save import META_FILE
from lillenews.net.decoding import MAX_BYTES

MEMORY_CAP = 2 * 1024**3  # bytes of address space for a --from subprocess (it needs ~0.3 GB)


def _not_json(name: str) -> None:
    raise AssertionError(f"{name} in the JSON output")


def strict_json(text: str) -> object:
    return json.loads(text, parse_constant=_not_json)


@pytest.fixture
def saved(cli, doctor_site, tmp_path):  # noqa: F811 - the fixture imported above
    out = tmp_path / "saved"
    assert doctor("--save", str(out)).exit_code == 0
    return out


def from_in_a_subprocess(directory) -> subprocess.CompletedProcess[str]:
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run(
        [sys.executable, "-m", "lillenews", "doctor", "--from", str(directory)],
        capture_output=True,
        text=True,
        timeout=30,  # a FIFO read would block forever
        stdin=subprocess.DEVNULL,
        preexec_fn=limit_memory,
    )


# ----------------------------------------------------------------------------- --save
def test_save_replaces_links_in_the_directory_and_never_writes_through_them(cli, doctor_site, tmp_path):  # noqa: F811
    out, elsewhere = tmp_path / "shared", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    victims = {name: elsewhere / f"victim-{name}" for name in ("listing.html", META_FILE, "article.html")}
    for name, victim in victims.items():
        victim.write_text("precious\n")
        (out / name).symlink_to(victim)
    assert doctor("--save", str(out)).exit_code == 0
    assert all(victim.read_text() == "precious\n" for victim in victims.values())
    for name in victims:
        assert not (out / name).is_symlink() and (out / name).is_file()
    assert json.loads((out / META_FILE).read_text())["pages"][0]["file"] == "listing.html"
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_saving_again_replaces_a_save_whose_meta_is_a_dangling_link(cli, doctor_site, tmp_path):  # noqa: F811
    out = tmp_path / "saved"
    out.mkdir()
    (out / META_FILE).symlink_to(tmp_path / "nowhere" / "meta.json")
    assert doctor("--save", str(out)).exit_code == 0
    assert (out / META_FILE).is_file() and not (out / META_FILE).is_symlink()
    assert not (tmp_path / "nowhere").exists()


# ----------------------------------------------------------------------------- --from: what is read
@pytest.mark.parametrize("kind", ["link to /dev/zero", "fifo", "directory"])
def test_from_reads_only_regular_files(saved, kind):
    page = saved / "listing.html"
    page.unlink()
    if kind == "fifo":
        os.mkfifo(page)
    elif kind == "directory":
        page.mkdir()
    else:
        page.symlink_to("/dev/zero")
    result = from_in_a_subprocess(saved)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"Error: {page} is not a regular file; 'doctor --from' reads only what 'lillenews doctor --save' wrote\n"
    )
    assert result.stdout == ""


def test_from_refuses_a_page_larger_than_the_network_cap_without_reading_it(saved):
    page = saved / "listing.html"
    with open(page, "r+b") as f:
        f.truncate(3 * 1024**3)  # 3 GB, sparse: nothing is really written
    result = from_in_a_subprocess(saved)
    assert result.returncode == 2, result.stderr
    size = MAX_BYTES // (1024 * 1024)
    assert (
        result.stderr == f"Error: {page} is larger than {size} MB; 'lillenews doctor --save' never writes such a file\n"
    )


def test_from_reads_a_page_of_exactly_the_cap(saved):
    page = saved / "listing.html"
    body = page.read_bytes()
    page.write_bytes(body + b" " * (MAX_BYTES - len(body)))
    assert doctor("--from", str(saved)).exit_code == 0


def test_from_refuses_a_meta_json_that_is_a_fifo(saved):
    (saved / META_FILE).unlink()
    os.mkfifo(saved / META_FILE)
    result = from_in_a_subprocess(saved)
    assert result.returncode == 2
    assert result.stderr == (
        f"Error: {saved / META_FILE} is not a regular file; 'doctor --from' reads only what "
        "'lillenews doctor --save' wrote\n"
    )


# ----------------------------------------------------------------------------- --from: meta.json's values
BAD_VALUES = {
    "elapsed NaN": ("elapsed", "NaN"),
    "elapsed Infinity": ("elapsed", "Infinity"),
    "elapsed negative": ("elapsed", "-5"),
    "elapsed huge": ("elapsed", "1e308"),
    "elapsed true": ("elapsed", "true"),
    "status out of range": ("status", "99999"),
    "status true": ("status", "true"),
    "status NaN": ("status", "NaN"),
}


@pytest.mark.parametrize("key, raw", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_from_takes_wrong_types_and_ranges_as_absent_and_prints_valid_json(saved, key, raw):
    meta_path = saved / META_FILE
    meta = json.loads(meta_path.read_text())
    meta["pages"][0][key] = "@@VALUE@@"
    meta_path.write_text(json.dumps(meta).replace('"@@VALUE@@"', raw))  # NaN is not JSON: written by hand
    result = doctor("--from", str(saved), "--json")
    assert result.exit_code == 0, result.stderr
    page = strict_json(result.stdout)["pages"][0]
    assert (page["elapsed"], page["status"]) == (
        (0.0, 200) if key == "elapsed" else (meta["pages"][0]["elapsed"], None)
    )
    times = [line for line in doctor("--from", str(saved)).stdout.splitlines() if line.startswith("  Time")]
    assert len(times) == len(PAGES) and all(re.fullmatch(r"  Time +\d+\.\d\d s", line) for line in times), times


def test_from_with_elapsed_nan_says_zero_seconds_in_the_report(saved):
    meta_path = saved / META_FILE
    text = meta_path.read_text()
    elapsed = json.loads(text)["pages"][0]["elapsed"]
    meta_path.write_text(text.replace(f'"elapsed": {elapsed}', '"elapsed": NaN', 1))
    report = doctor("--from", str(saved)).stdout
    listing = report.split("Listing, page 2")[0]
    assert "Time      0.00 s" in listing and "nan" not in listing


def test_from_keeps_only_the_saved_header_names_with_string_values(saved):
    meta_path = saved / META_FILE
    meta = json.loads(meta_path.read_text())
    meta["pages"][0]["headers"] = {"content-type": ["text/html"], "x-evil": "a" * 10_000}
    meta_path.write_text(json.dumps(meta))
    result = doctor("--from", str(saved), "--json")
    assert result.exit_code == 0 and strict_json(result.stdout)["pages"][0]["encoding"] is not None
    assert [p["kind"] for p in strict_json(result.stdout)["pages"]] == PAGES
