"""The shape of the source, read from its syntax tree (never imported): no module over 400
lines, no function over 60, no import cycle between modules, no clock read where a
parse must be a function of its input, and no module of NamedTuples that makes every
annotation a string.
Each rule also runs on a small made-up source, to show it can fail."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "lillenews"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# What a parse may never do: read the clock (callers say what day it is).
CLOCK_FREE = ("site", "base")
CLOCK_ATTRIBUTES = {"now", "today", "utcnow", "fromtimestamp"}
CLOCK_MODULES = {"time"}


def modules(root: Path = PACKAGE) -> dict[str, str]:
    """Every module of the package: dotted name -> source."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path.read_text(encoding="utf-8")
    return out


SOURCES = modules()


# ---------------------------------------------------------------------- sizes
def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """(name, lines) of every function or method longer than `limit` lines (decorators
    and docstring included)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - start + 1
            if length > limit:
                out.append((node.name, length))
    return out


def long_modules(sources: Mapping[str, str], limit: int = MAX_MODULE_LINES) -> dict[str, int]:
    return {name: n for name, source in sources.items() if (n := len(source.splitlines())) > limit}


def test_no_module_is_over_400_lines():
    assert long_modules(SOURCES) == {}


def test_no_function_is_over_60_lines():
    found = {name: long for name, source in SOURCES.items() if (long := long_functions(source))}
    assert found == {}


def test_the_size_rules_can_fail():
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    source = f"@decorated\ndef long():\n{body}\n\n\ndef short():\n    return 1\n"
    assert long_functions(source) == [("long", 62)]  # the decorator, the def line and 60 lines
    assert long_functions(source, limit=62) == []
    assert long_modules({"big": "x = 1\n" * 401, "small": "x = 1\n" * 400}) == {"big": 401}


# ---------------------------------------------------------------------- imports
def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import that runs (at the top or inside a function), not those under
    `if TYPE_CHECKING:` (they never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node.test):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


def import_graph(sources: Mapping[str, str]) -> dict[str, set[str]]:
    """module -> the modules of `sources` it imports. `from pkg import name` counts as an
    import of pkg.name when that is a module, else of pkg."""
    graph: dict[str, set[str]] = {name: set() for name in sources}
    for name, source in sources.items():
        package = name if source and name.count(".") == 0 else name.rsplit(".", 1)[0]
        for node in _imports(ast.parse(source)):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:  # relative: from the module's own package upwards
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in sources else base for a in node.names]
            graph[name] |= {t for t in targets if t in sources and t != name}
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_import_cycle_between_modules():
    graph = import_graph(SOURCES)
    assert sum(len(targets) for targets in graph.values()) > 100, "the graph must be read, not empty"
    assert graph["lillenews.site.news"] >= {"lillenews.site.article_fields", "lillenews.base.models"}
    assert cycles(graph) == []


def test_the_cycle_rule_can_fail_and_leaves_type_checking_imports_out():
    sources = {
        "pkg": "",
        "pkg.a": "from pkg.b import thing\n",
        "pkg.b": "def f():\n    from pkg import c\n",  # a lazy import is still an import
        "pkg.c": "import pkg.a\n",
        "pkg.d": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.e import T\n",
        "pkg.e": "from pkg.d import x\n",
    }
    graph = import_graph(sources)
    assert graph["pkg.b"] == {"pkg.c"} and graph["pkg.d"] == set()
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]


# ---------------------------------------------------------------------- no clock
def clock_reads(source: str) -> list[str]:
    """Where `source` reads the system clock: a call of now()/today()/utcnow()/
    fromtimestamp() on anything (datetime's), or any use of the time module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK_ATTRIBUTES:
            found.append(f"line {node.lineno}: .{node.func.attr}()")
        elif isinstance(node, ast.Import) and any(a.name in CLOCK_MODULES for a in node.names):
            found.append(f"line {node.lineno}: import time")
        elif isinstance(node, ast.ImportFrom) and node.module in CLOCK_MODULES:
            found.append(f"line {node.lineno}: from time import")
    return found


def test_no_clock_is_read_by_the_parsers_nor_the_date_reader():
    checked = {n: s for n, s in SOURCES.items() if n.split(".")[1:2] and n.split(".")[1] in CLOCK_FREE}
    assert "lillenews.site.news" in checked and "lillenews.base.dates" in checked
    assert {name: found for name, source in checked.items() if (found := clock_reads(source))} == {}


def test_the_clock_rule_can_fail():
    assert clock_reads("import datetime\nday = datetime.date.today()\n") == ["line 2: .today()"]
    assert clock_reads("from datetime import datetime as dt\nx = dt.now()\n") == ["line 2: .now()"]
    assert clock_reads("import time\n") == ["line 1: import time"]
    assert clock_reads("from time import monotonic\n") == ["line 1: from time import"]
    assert clock_reads("def f(page):\n    return page.today.year\n") == []  # a day handed in is no clock


# ---------------------------------------------------------------------- start-up
def string_annotated_records(source: str) -> list[str]:
    """The NamedTuples of a module that makes every annotation a string (`from __future__
    import annotations`): typing compiles each field's string when the class is made, at
    every start (~40% of a NamedTuple's creation; issue 21). A field quoted by hand (a type
    that cannot be imported at run time, such as the network stack's on the warm path) is
    allowed: one compile, not every field's."""
    tree = ast.parse(source)
    future = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(a.name == "annotations" for a in node.names)
        for node in tree.body
    )
    if not future:
        return []
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(isinstance(base, ast.Name) and base.id == "NamedTuple" for base in node.bases)
    ]


def test_no_module_of_records_makes_every_annotation_a_string():
    found = {name: records for name, source in SOURCES.items() if (records := string_annotated_records(source))}
    assert found == {}


def test_the_record_rule_can_fail():
    made_up = "from __future__ import annotations\nfrom typing import NamedTuple\nclass Row(NamedTuple):\n    a: int\n"
    assert string_annotated_records(made_up) == ["Row"]
    assert string_annotated_records(made_up.split("\n", 1)[1]) == []
