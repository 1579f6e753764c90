"""The stand-ins a stdout that lacks characters gets (cli/charset.py): readable ASCII for the
typography the site and our layouts use, `?` for the rest, nothing for a UTF-8 stream."""

from __future__ import annotations

import io

import pytest

from lillenews.cli.charset import fit_stream, is_unicode


def written(encoding: str, text: str) -> bytes:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict")
    fit_stream(stream)
    stream.write(text)
    stream.flush()
    return raw.getvalue()


@pytest.mark.parametrize(
    "text, ascii_text",
    [
        ("L’été — « Lille » … ┃ ● œuvre", "L'ete - << Lille >> ... | * oeuvre"),
        ("Crédit\u00a0: 2\u202f000\u00a0€", "Credit : 2 000 EUR"),
        ("北京 🎉", "?? ?"),
    ],
)
def test_ascii_stand_ins(text, ascii_text):
    assert written("ascii", text) == ascii_text.encode("ascii")


def test_latin1_keeps_what_it_has_and_stands_in_for_the_rest():
    assert written("latin-1", "L’été — «Lille»") == "L'été - «Lille»".encode("latin-1")


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "utf_8", "utf-16", "gb18030"])
def test_unicode_streams_are_left_alone(encoding):
    assert is_unicode(encoding)
    stream = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    fit_stream(stream)
    assert stream.errors == "strict"


def test_a_stream_without_an_encoding_is_left_alone():
    fit_stream(io.StringIO())  # no error, nothing to do
