"""The parser over every page saved in tests/fixtures/doctor_saves/ (what `lillenews doctor --save`
writes), checked against the expectations stored next to them (`expect.json`; see the
README there). Real pages join the local seeds the day someone saves them."""

from __future__ import annotations

import datetime
import json
import pathlib
from typing import Any

import pytest
from doctor_pages import DOCTOR_SAVES, SEEDS, save_seed

from lillenews.doctor.check import FAMILIES, PageKind
from lillenews.doctor.save import META_FILE, replay
from lillenews.net.decoding import decode_html

TODAY = datetime.date(2026, 11, 27)  # the seeds' saved_at day (and replay's when a meta.json has none)

SAVED = sorted(p.parent for p in DOCTOR_SAVES.glob(f"*/{META_FILE}"))
# Without expect.json: the doctor's own rule (every required field from the known layer).
DEFAULT: dict[str, Any] = {
    "verdict": "ok",
    "pages": {kind.value: {name: "known" for name in FAMILIES[kind.family].required} for kind in PageKind},
}


def expectations(saved: pathlib.Path) -> dict[str, Any]:
    path = saved / "expect.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else DEFAULT


def test_the_seeds_are_there():
    assert {p.name for p in SAVED} >= set(SEEDS)


@pytest.mark.parametrize("saved", SAVED, ids=lambda p: p.name)
def test_every_saved_page_parses_as_expected(saved: pathlib.Path):
    meta = json.loads((saved / META_FILE).read_text(encoding="utf-8"))
    expected = expectations(saved)["pages"]
    parsed = set()
    for entry in meta["pages"]:
        if not entry.get("file"):
            continue
        kind = entry["kind"]
        body = (saved / entry["file"]).read_bytes()
        url = entry["final_url"] or entry["url"]
        text = decode_html(body, entry["headers"].get("content-type", ""), url)
        fields, _error, _model = FAMILIES[PageKind(kind).family].explain(text, url, today=TODAY)
        for name, want in expected.get(kind, {}).items():
            want = want if isinstance(want, dict) else {"layer": want}
            got = fields[name]
            assert got.layer.value == want["layer"], f"{saved.name}/{entry['file']}: {name} from {got.layer.value}"
            if "count" in want:
                assert got.count == want["count"], f"{saved.name}/{entry['file']}: {name} count"
            elif want["layer"] != "none":
                assert got.count > 0, f"{saved.name}/{entry['file']}: {name} has no value"
        parsed.add(kind)
    assert set(expected) <= parsed, "expect.json names a page that was not saved"


@pytest.mark.parametrize("saved", SAVED, ids=lambda p: p.name)
def test_the_saved_pages_replay_to_the_expected_verdict(saved: pathlib.Path):
    expected = expectations(saved)
    report = replay(saved, today=TODAY)
    assert report.verdict.value == expected["verdict"]
    if "findings" in expected:
        assert sorted({f.code.value for f in report.findings}) == sorted(expected["findings"])


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_the_seeds_are_what_doctor_save_writes(name: str, tmp_path: pathlib.Path):
    code = save_seed(name, tmp_path)
    assert code == (0 if expectations(DOCTOR_SAVES / name)["verdict"] == "ok" else 1)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in (DOCTOR_SAVES / name).iterdir() if p.name != "expect.json")
    for page in written:
        if page.endswith(".html"):
            assert (tmp_path / page).read_bytes() == (DOCTOR_SAVES / name / page).read_bytes(), page
