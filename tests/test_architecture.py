"""The shape of the code, checked: layers import downward only, no import cycle, small modules.

Imports are read from the source (every `import` statement, including those inside functions), not
from what happens to be loaded, so a late import cannot hide a cycle or an upward dependency.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("referential", "dialogs", "storage", "bot", "web_summary", "ecoclic")

# Who may import whom: referential ← dialogs ← storage ← channels (bot), web_summary ← ecoclic.
ALLOWED: dict[str, set[str]] = {
    "referential": {"referential"},
    "dialogs": {"referential", "dialogs"},
    "storage": {"referential", "dialogs", "storage"},
    "bot": {"referential", "dialogs", "storage", "bot"},
    "web_summary": {"referential", "dialogs", "storage", "web_summary"},
    "ecoclic": set(PACKAGES),
}
# Libraries the pure core must never touch: messaging, SQL, settings, web.
IMPURE = {
    "telegram",
    "aiogram",
    "nio",
    "sqlalchemy",
    "alembic",
    "aiosqlite",
    "asyncpg",
    "psycopg",
    "sqlite3",
    "pydantic_settings",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "httpx",
    "aiohttp",
}
MAX_LINES = 400
GENERATED = ("storage/migrations/versions/",)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


SOURCES = _sources()


def _resolve(name: str) -> str:
    """The project module an imported name refers to (a submodule when it is one)."""
    return name if name in SOURCES else name.rsplit(".", 1)[0]


def _imports(module: str, path: Path) -> set[str]:
    """Every module named by an import anywhere in the file (absolute names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in SOURCES.items():
        targets = {_resolve(n) for n in _imports(module, path)}
        graph[module] = {t for t in targets if t in SOURCES and t != module}
    return graph


def _third_party(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imports(_module_name(path), path)}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_anywhere_in_the_product() -> None:
    assert _cycles(_graph()) == []


def test_layers_import_downward_only() -> None:
    wrong = []
    for module, targets in _graph().items():
        top = module.split(".")[0]
        for target in targets:
            if target.split(".")[0] not in ALLOWED[top]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_storage_knows_records_and_ports_not_features() -> None:
    """Storage may use the engine's core values (records, ports, replies, i18n), never a feature."""
    wrong = [
        f"{module} -> {target}"
        for module, targets in _graph().items()
        if module.startswith("storage")
        for target in targets
        if target.startswith("dialogs.") and target.count(".") > 1
    ]
    assert wrong == []


@pytest.mark.parametrize("package", ["dialogs", "referential"])
def test_the_core_is_pure(package: str) -> None:
    wrong = {
        f"{path.relative_to(ROOT)}: {sorted(_third_party(path) & IMPURE)}"
        for path in (ROOT / package).rglob("*.py")
        if _third_party(path) & IMPURE
    }
    settings = [
        str(path.relative_to(ROOT))
        for path in (ROOT / package).rglob("*.py")
        if any(name.startswith("ecoclic") for name in _imports(_module_name(path), path))
    ]
    assert (sorted(wrong), settings) == ([], [])


def test_no_module_over_the_size_limit() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in SOURCES.values()
        if not any(part in str(path.relative_to(ROOT)) for part in GENERATED)
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_dialogs_top_level_stays_small() -> None:
    top = sorted(p.name for p in (ROOT / "dialogs").glob("*.py"))
    assert len(top) <= 16, top


def test_telegram_adapters_are_thin() -> None:
    sizes = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "bot" / "telegram").glob("*_adapter.py")
    }
    assert sizes and all(n <= 200 for n in sizes.values()), sizes


def test_the_service_runs_no_sql_itself() -> None:
    path = ROOT / "ecoclic" / "service.py"
    assert "sqlalchemy" not in _third_party(path)


def test_button_data_is_typed_not_hand_built() -> None:
    """Buttons get their data from `CallbackData.pack()`: no f-string or literal "x:y" data, and no
    `isdigit()` parsing (it accepts "²" and "٣", which int() then refuses)."""
    wrong = []
    for path in (ROOT / "dialogs").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if ".isdigit()" in source:
            wrong.append(f"{path.relative_to(ROOT)}: isdigit()")
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Button"):
                continue
            data = node.args[1] if len(node.args) > 1 else None
            data = data or next((k.value for k in node.keywords if k.arg == "data"), None)
            literal = isinstance(data, ast.Constant) and ":" in str(data.value)
            if isinstance(data, ast.JoinedStr) or literal:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []


def test_each_button_prefix_belongs_to_one_package() -> None:
    from dialogs.engine import ROUTER

    owners: dict[str, set[str]] = defaultdict(set)
    for prefix, route in ROUTER.buttons.items():
        module = route.family.__module__
        package = module.split(".")[1] if module.count(".") > 1 else module
        owners[prefix.split(":")[0]].add(package)
    shared = {family: sorted(p) for family, p in owners.items() if len(p) > 1}
    assert ROUTER.buttons and shared == {}
