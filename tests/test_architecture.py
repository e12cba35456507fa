"""The shape of generator/, read from its source with the AST: the rules the layout promises."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "generator"


def modules() -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Return the package's modules that ``name`` imports (at any depth of its code)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree(path)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return one cycle through each strongly connected group of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle_in_the_generator() -> None:
    found = modules()
    known = set(found)
    graph = {name: imports(name, path, known) for name, path in found.items()}
    # a package's __init__ is imported by its modules' parents; only module edges matter
    graph = {
        name: {t for t in targets if found[t].name != "__init__.py"}
        for name, targets in graph.items()
    }
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: a graph with a loop is reported."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


STAGES = ("sources", "diagrams", "outputs", "checks")
ENVIRONMENT_ALLOWED = {
    "generator.outputs.web.offline",  # the switch mkdocs.yml reads for the offline copy
    "generator.outputs.web.handoff",  # sets mkdocs' two settings for the length of its run
}


def reads_environment(path: Path) -> list[int]:
    """Return the lines where a module touches ``os.environ`` or ``os.getenv``."""
    lines = []
    for node in ast.walk(tree(path)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("environ", "getenv", "putenv")
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ):
            lines.append(node.lineno)
    return lines


def test_no_stage_reads_the_environment() -> None:
    offenders = {
        name: reads_environment(path)
        for name, path in modules().items()
        if name.split(".")[1:2] and name.split(".")[1] in STAGES and name not in ENVIRONMENT_ALLOWED
    }
    assert {name: lines for name, lines in offenders.items() if lines} == {}


def test_the_environment_check_finds_a_read(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\nDATE = os.environ.get('SOURCE_DATE_EPOCH')\n", encoding="utf-8")
    assert reads_environment(module) == [2]


STATE_ALLOWED = {
    "generator.engine.timing",  # stage times, taken and reset by each build
    "generator.engine.workers",  # whether this process is one of the build's workers
    "generator.outputs.web.handoff",  # what the build hands to the mkdocs hook
    "generator.outputs.web.mkdocs_hooks",  # the hook's own state between mkdocs events
    "generator.outputs.web.kept",  # where the website's renderers keep faces and templates
}
MUTABLE = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
MUTABLE_CALLS = {"list", "dict", "set", "defaultdict", "OrderedDict", "Counter", "deque"}


def module_state(path: Path) -> list[str]:
    """Return module-level names bound to mutable containers (not CONSTANTS), and ``global``."""
    found = []
    module = tree(path)
    for node in module.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        mutable = isinstance(value, MUTABLE) or (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in MUTABLE_CALLS
        )
        for target in targets:
            if isinstance(target, ast.Name) and mutable and not target.id.isupper():
                found.append(f"{target.id} (line {node.lineno})")
    for node in ast.walk(module):
        if isinstance(node, ast.Global):
            found.append(f"global {', '.join(node.names)} (line {node.lineno})")
    return found


def test_module_level_mutable_state_only_in_timing_and_the_mkdocs_hand_off() -> None:
    offenders = {
        name: module_state(path) for name, path in modules().items() if name not in STATE_ALLOWED
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_state_check_finds_module_state(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("SIZES = {}\n_seen: list[int] = []\nclass A:\n    x = []\n", encoding="utf-8")
    assert module_state(module) == ["_seen (line 2)"]


def calls_of(function: str) -> dict[str, int]:
    """Return how often each module calls ``function``."""
    found = {}
    for name, path in modules().items():
        count = sum(
            1
            for node in ast.walk(tree(path))
            if isinstance(node, ast.Call)
            and (
                getattr(node.func, "id", None) == function
                or getattr(node.func, "attr", None) == function
            )
        )
        if count:
            found[name] = count
    return found


def test_diagrams_are_drawn_only_in_the_view() -> None:
    assert set(calls_of("draw_exercise")) == {"generator.outputs.view"}


OUTPUT_FOLDERS = (
    "exercises",
    "diagrams",
    "cards",
    "print",
    "embed",
    "previews",
    "api",
    "downloads",
    "sections",
)
PATH_LITERAL = re.compile(rf"^(?:{'|'.join(OUTPUT_FOLDERS)})/")


def path_literals(path: Path) -> list[str]:
    """Return the string literals (f-strings' text included) that start like an output path."""
    found = []
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            first = node.values[0] if node.values else None
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and PATH_LITERAL.match(first.value)
            ):
                found.append(f"{text!r} (line {node.lineno})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            template = node.value.endswith((".j2", ".css"))  # a template's name, not an output
            if PATH_LITERAL.match(node.value) and "\n" not in node.value and not template:
                found.append(f"{node.value!r} (line {node.lineno})")
    return found


def test_every_output_path_literal_lives_in_paths() -> None:
    offenders = {
        name: path_literals(path)
        for name, path in modules().items()
        if name != "generator.outputs.paths" and not name.startswith("generator.dev.")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


@pytest.mark.parametrize("template", sorted(p.name for p in (REPO / "templates").rglob("*.j2")))
def test_templates_number_no_steps(template: str) -> None:
    """Step numbers come from the view (``step.number``); no template counts them."""
    path = next((REPO / "templates").rglob(template))
    text = path.read_text(encoding="utf-8")
    assert "counter.n" not in text and "namespace(n=" not in text and "first + loop" not in text


def build_body_lines() -> int:
    """Return the number of lines of ``build()``'s body, its docstring left out."""
    module = tree(PACKAGE / "build.py")
    function = next(
        node for node in module.body if isinstance(node, ast.FunctionDef) and node.name == "build"
    )
    body = function.body[1:] if isinstance(function.body[0], ast.Expr) else function.body
    return body[-1].end_lineno - body[0].lineno + 1  # type: ignore[operator]


def test_build_reads_as_its_stages_in_at_most_thirty_lines() -> None:
    assert build_body_lines() <= 30


WRITING_CALLS = {"write_bytes", "write_text", "rename", "replace", "rmtree", "copytree", "unlink"}
WRITERS = {
    "generator.engine.write": "the output folder: staging, marker, swap",
    "generator.engine.cache": "the build cache",
    "generator.bench": "its own temporary copies of the project, on `python -m generator.bench`",
    "generator.sources.schema": "schema/, on `python -m generator schema` only",
    "generator.translations.files": (
        "content/translations/*.po, on `python -m generator translations update|approve` only"
    ),
}


def writing_calls(path: Path) -> list[str]:
    """Return the calls of a module that write, move or delete files."""
    return [
        f"{node.func.attr} (line {node.lineno})"
        for node in ast.walk(tree(path))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITING_CALLS
        and not (isinstance(node.func.value, ast.Constant))  # "".replace(...) on a literal
    ]


def test_only_the_writer_touches_the_output_folder() -> None:
    """Every other module returns bytes; mkdocs writes only into a temporary folder."""
    offenders = {
        name: [c for c in writing_calls(path) if not c.startswith("replace")]
        for name, path in modules().items()
        if name not in WRITERS and not name.startswith("generator.dev.")
    }
    assert {name: calls for name, calls in offenders.items() if calls} == {}
