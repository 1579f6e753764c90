#!/usr/bin/env python3
"""Maintain the interface catalog (src/lillenews/locale/<lang>/LC_MESSAGES/lillenews.po/.mo).

    python tools/i18n.py extract   # collect _()/N_()/ngettext() msgids from src/ into the .po
    python tools/i18n.py compile   # write the .mo from the .po (deterministic: same .po, same bytes)
    python tools/i18n.py check     # fail on a marked msgid without a translation, a bad placeholder...
    python tools/i18n.py unmarked  # review aid: literals that look like sentences and are not marked

`extract` keeps every translation, adds new msgids with an empty msgstr (to be written by
hand), and keeps entries no longer in the source as obsolete `#~` entries at the end (drop
them with `extract --prune`). References name the file only, not the line, so that editing
code does not churn the catalog. Standard library only: no Babel, no msgfmt needed."""

from __future__ import annotations

import argparse
import ast
import re
import string
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "lillenews"
DOMAIN = "lillenews"
LANGUAGES = ("fr",)
MARKERS = {"_": 1, "N_": 1, "Message": 1, "ngettext": 2}  # function name -> how many leading msgid arguments
DYNAMIC_OK = "# i18n: marked"  # on a line translating a variable holding a msgid marked elsewhere
PENDING = "pending:"  # a translator comment marking an entry written ahead for a branch not merged yet
PREFIXES = ("Error:", "Warning:")  # printed literally by the CLI, never translated

HEADERS = {
    "fr": (
        "Project-Id-Version: lillenews\n"
        "Language: fr\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "Plural-Forms: nplurals=2; plural=(n > 1);\n"
    ),
}


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    comments: list[str] = field(default_factory=list)  # translator comments ("# ...")
    references: list[str] = field(default_factory=list)
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.msgid, self.msgid_plural)

    @property
    def translated(self) -> bool:
        return not self.fuzzy and all(self.msgstr) and len(self.msgstr) == (2 if self.msgid_plural else 1)


# ------------------------------------------------------------------ extraction
@dataclass
class Found:
    msgid: str
    msgid_plural: str | None
    file: str
    line: int


def extract(package: Path = PACKAGE) -> tuple[list[Found], list[str]]:
    """Every marked msgid under `package`, in file then line order; and the problems
    (a marker called with something else than string literals cannot be extracted, unless its
    line says "# i18n: marked ...": its msgid is marked elsewhere, e.g. with N_())."""
    found: list[Found] = []
    problems: list[str] = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source, filename=str(path))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _marker(n.func) in MARKERS]
        for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
            wanted = MARKERS[_marker(call.func)]
            args = call.args[:wanted]
            if len(args) < wanted or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                if DYNAMIC_OK in lines[call.lineno - 1]:
                    continue  # translates msgids marked elsewhere with N_()
                problems.append(f"{rel}:{call.lineno}: {_marker(call.func)}() needs string literals (no f-string)")
                continue
            texts = [a.value for a in args]  # type: ignore[attr-defined]
            found.append(Found(texts[0], texts[1] if wanted == 2 else None, rel, call.lineno))
        found += [Found(text, None, rel, line) for text, line in help_texts(tree)]
    found.sort(key=lambda f: (f.file, f.line))
    return found, problems


HELP_CALLS = {"Typer", "Option", "Argument", "command", "callback"}  # typer's: help= / short_help= literals


def help_texts(tree: ast.AST) -> list[tuple[str, int]]:
    """typer's help texts, marked by where they are (as xgettext keywords): the string
    literal of `help=` / `short_help=` in typer.Typer / Option / Argument / @app.command /
    @app.callback, and the docstring of a function decorated with `@<app>.command(...)`
    (cleaned as typer cleans it). cli_i18n.TranslatedGroup translates them when typer
    builds the commands."""
    texts: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee(node.func) in HELP_CALLS:
            for kw in node.keywords:
                value = kw.value
                if (
                    kw.arg in ("help", "short_help")
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    texts.append((value.value, value.lineno))
        if isinstance(node, ast.FunctionDef) and any(_is_command(d) for d in node.decorator_list):
            doc = ast.get_docstring(node)
            if doc:
                texts.append((doc, node.body[0].lineno))
    return texts


def _callee(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _is_command(decorator: ast.expr) -> bool:
    return isinstance(decorator, ast.Call) and _callee(decorator.func) in ("command", "callback")


_WORDS = re.compile(r"[A-Za-zÀ-ÿ]{2,}[ ,;:'].*[a-zà-ÿ]{2,}")
_NOT_TEXT = re.compile(
    r"^\s*(SELECT|INSERT|CREATE|UPDATE|DELETE|PRAGMA|WITH|FROM|WHERE|ORDER|JOIN|DROP|ALTER)\b|^<|^\w+://"
)
UNTRANSLATED_OK = "# i18n: not translated"  # on a line whose text is deliberately left as it is


def unmarked(package: Path = PACKAGE) -> list[str]:
    """String literals that look like sentences for people and are not marked: a review aid
    (not every hit is a bug: JSON keys, SQL, site words are expected)."""
    hits: list[str] = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        skip: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _marker(node.func) in MARKERS:
                skip.update(id(sub) for sub in ast.walk(node))
            if isinstance(node, ast.Call) and _callee(node.func) in HELP_CALLS:  # extracted by help_texts()
                skip.update(id(kw.value) for kw in node.keywords if kw.arg in ("help", "short_help"))
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):  # docstrings
                skip.update(id(sub) for sub in ast.walk(body[0]))
        for node in ast.walk(tree):
            if id(node) in skip or not isinstance(node, ast.Constant | ast.JoinedStr):
                continue
            if isinstance(node, ast.JoinedStr):
                skip.update(id(sub) for sub in ast.walk(node))
                text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            elif isinstance(node.value, str):
                text = node.value
            else:
                continue
            line = lines[node.lineno - 1]
            if _WORDS.search(text) and not _NOT_TEXT.search(text) and UNTRANSLATED_OK not in line:
                hits.append(f"{rel}:{node.lineno}: {text[:100]!r}")
    return hits


def _marker(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "i18n":
        return func.attr
    return ""


# ------------------------------------------------------------------ .po reading and writing
_TOKEN = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(quoted: str) -> str:
    body = quoted.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'


def read_po(text: str) -> tuple[str, list[Entry]]:
    """(header msgstr, entries) of a .po file (the subset of the format this tool writes)."""
    entries: list[Entry] = []
    header = ""
    current: Entry | None = None
    last: tuple[str, int] | None = None
    pending_comments: list[str] = []
    pending_refs: list[str] = []
    pending_fuzzy = False

    def finish() -> None:
        nonlocal current, header
        if current is not None:
            if current.msgid == "" and not current.obsolete:
                header = current.msgstr[0]
            else:
                entries.append(current)
        current = None

    for raw in text.splitlines():
        obsolete = raw.startswith("#~")
        line = raw[2:].strip() if obsolete else raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            finish()
            if line.startswith("#,"):
                pending_fuzzy = "fuzzy" in line
            elif line.startswith("#:"):
                pending_refs += line[2:].split()
            elif not line.startswith(("#.", "#|")):
                pending_comments.append(line[1:].strip())
            continue
        match = _TOKEN.match(line)
        if match:
            keyword, index, quoted = match.group(1), match.group(2), match.group(3)
            if keyword == "msgid":
                finish()
                current = Entry(
                    _unquote(quoted),
                    comments=pending_comments,
                    references=pending_refs,
                    fuzzy=pending_fuzzy,
                    obsolete=obsolete,
                )
                pending_comments, pending_refs, pending_fuzzy = [], [], False
                last = ("msgid", 0)
            elif current is None:
                raise ValueError(f"{keyword} without msgid: {raw!r}")
            elif keyword == "msgid_plural":
                current.msgid_plural = _unquote(quoted)
                last = ("msgid_plural", 0)
            else:
                n = int(index or 0)
                while len(current.msgstr) <= n:
                    current.msgstr.append("")
                current.msgstr[n] = _unquote(quoted)
                last = ("msgstr", n)
        elif line.startswith('"') and current is not None and last is not None:
            kind, n = last  # a continuation line
            if kind == "msgid":
                current.msgid += _unquote(line)
            elif kind == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + _unquote(line)
            else:
                current.msgstr[n] += _unquote(line)
        else:
            raise ValueError(f"cannot read .po line: {raw!r}")
    finish()
    return header, entries


def _field(keyword: str, text: str, prefix: str) -> list[str]:
    if "\n" not in text.rstrip("\n"):
        return [f"{prefix}{keyword} {_quote(text)}"]
    parts = text.splitlines(keepends=True)
    return [f'{prefix}{keyword} ""'] + [prefix + _quote(p) for p in parts]


def write_po(header: str, entries: list[Entry]) -> str:
    out = [
        "# French translation of the lillenews interface.",
        "# Regenerate: python tools/i18n.py extract && python tools/i18n.py compile",
        'msgid ""',
        *_field("msgstr", header, ""),
    ]
    for entry in entries:
        out.append("")
        prefix = "#~ " if entry.obsolete else ""
        out += [f"# {c}".rstrip() for c in entry.comments]
        if entry.references and not entry.obsolete:
            out.append("#: " + " ".join(entry.references))
        if entry.fuzzy:
            out.append("#, fuzzy")
        out += _field("msgid", entry.msgid, prefix)
        if entry.msgid_plural is not None:
            out += _field("msgid_plural", entry.msgid_plural, prefix)
            for n, text in enumerate(entry.msgstr):
                out += _field(f"msgstr[{n}]", text, prefix)
        else:
            out += _field("msgstr", entry.msgstr[0], prefix)
    return "\n".join(out) + "\n"


def merge(found: list[Found], entries: list[Entry], prune: bool = False) -> list[Entry]:
    """The catalog for `found` (source order), keeping existing translations.

    An entry not in the source becomes obsolete (#~), unless a translator comment starts
    with PENDING: it was written ahead for a branch not merged yet and stays active (the
    comment goes once the msgid is in the source). --prune drops both kinds."""
    known = {e.key: e for e in entries}
    merged: dict[tuple[str, str | None], Entry] = {}
    for item in found:
        key = (item.msgid, item.msgid_plural)
        if key not in merged:
            old = known.get(key)
            entry = Entry(
                item.msgid,
                item.msgid_plural,
                list(old.msgstr) if old else [""] * (2 if item.msgid_plural else 1),
                comments=[c for c in old.comments if not c.startswith(PENDING)] if old else [],
                fuzzy=old.fuzzy if old else False,
            )
            merged[key] = entry
        if item.file not in merged[key].references:
            merged[key].references.append(item.file)
    result = list(merged.values())
    if not prune:
        for entry in entries:
            if entry.key not in merged:
                entry.obsolete = entry.obsolete or not any(c.startswith(PENDING) for c in entry.comments)
                entry.references = []
                result.append(entry)
    return result


# ------------------------------------------------------------------ .mo
def compile_mo(entries: list[Entry], header: str) -> bytes:
    """GNU .mo bytes (little-endian, no hash table), keys sorted: the same .po always gives
    the same file. Fuzzy, untranslated and obsolete entries are left out, as msgfmt does."""
    pairs: dict[bytes, bytes] = {b"": header.encode("utf-8")}
    for entry in entries:
        if entry.obsolete or not entry.translated:
            continue
        key = entry.msgid if entry.msgid_plural is None else entry.msgid + "\0" + entry.msgid_plural
        pairs[key.encode("utf-8")] = "\0".join(entry.msgstr).encode("utf-8")
    keys = sorted(pairs)
    ids = b"".join(k + b"\0" for k in keys)
    strs = b"".join(pairs[k] + b"\0" for k in keys)
    count = len(keys)
    start = 7 * 4 + 16 * count  # after the header and both offset tables
    offsets: list[int] = []
    position = 0
    for k in keys:
        offsets += [len(k), start + position]
        position += len(k) + 1
    values_start = start + len(ids)
    position = 0
    for k in keys:
        offsets += [len(pairs[k]), values_start + position]
        position += len(pairs[k]) + 1
    head = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0)
    return head + struct.pack(f"<{len(offsets)}I", *offsets) + ids + strs


# ------------------------------------------------------------------ checks
def placeholders(text: str) -> set[str]:
    """Names of the `{...}` fields of a str.format template ('{n!r}' -> 'n')."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            names.add(re.split(r"[.\[]", name, maxsplit=1)[0])
    return names


def problems(found: list[Found], entries: list[Entry]) -> list[str]:
    """Everything that makes the catalog wrong for the marked source."""
    out: list[str] = []
    by_key = {e.key: e for e in entries if not e.obsolete}
    for item in found:
        key = (item.msgid, item.msgid_plural)
        where = f"{item.file}:{item.line}"
        entry = by_key.get(key)
        if entry is None:
            out.append(f"{where}: no entry for {item.msgid!r} (run tools/i18n.py extract, then translate)")
        elif not entry.translated:
            out.append(f"{where}: {item.msgid!r} is {'fuzzy' if entry.fuzzy else 'not translated'}")
        if any(p in item.msgid or (item.msgid_plural and p in item.msgid_plural) for p in PREFIXES):
            out.append(f"{where}: {item.msgid!r} holds an Error:/Warning: prefix; it stays outside the msgid")
    for entry in by_key.values():
        try:
            wanted = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
            for n, text in enumerate(entry.msgstr):
                if text and placeholders(text) != wanted:
                    got = sorted(placeholders(text))
                    out.append(f"{entry.msgid!r}: placeholders {got} in msgstr[{n}] != {sorted(wanted)}")
        except ValueError as exc:
            out.append(f"{entry.msgid!r}: not a valid format string ({exc})")
        if any(text.startswith(PREFIXES) for text in entry.msgstr):
            out.append(f"{entry.msgid!r}: the translation starts with an Error:/Warning: prefix")
    return out


# ------------------------------------------------------------------ commands
def po_path(lang: str) -> Path:
    return PACKAGE / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def load(lang: str) -> tuple[str, list[Entry]]:
    path = po_path(lang)
    if not path.exists():
        return HEADERS[lang], []
    return read_po(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("extract", "compile", "check", "unmarked"))
    parser.add_argument("--prune", action="store_true", help="extract: drop entries no longer in the source")
    args = parser.parse_args(argv)
    if args.command == "unmarked":
        print("\n".join(unmarked()))
        return 0
    found, bad = extract()
    for problem in bad:
        print(problem, file=sys.stderr)
    status = 1 if bad else 0
    for lang in LANGUAGES:
        header, entries = load(lang)
        if args.command == "extract":
            entries = merge(found, entries, prune=args.prune)
            po_path(lang).parent.mkdir(parents=True, exist_ok=True)
            po_path(lang).write_text(write_po(HEADERS[lang], entries), encoding="utf-8")
            todo = [e for e in entries if not e.obsolete and not e.translated]
            print(f"{po_path(lang).relative_to(ROOT)}: {len(entries)} entries, {len(todo)} to translate")
        elif args.command == "compile":
            mo_path(lang).write_bytes(compile_mo(entries, header))
            print(f"{mo_path(lang).relative_to(ROOT)} written")
        else:
            issues = problems(found, entries)
            if mo_path(lang).exists() and mo_path(lang).read_bytes() != compile_mo(entries, header):
                issues.append(f"{mo_path(lang).relative_to(ROOT)} is out of date: run tools/i18n.py compile")
            for issue in issues:
                print(f"{lang}: {issue}", file=sys.stderr)
            status = status or (1 if issues else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
