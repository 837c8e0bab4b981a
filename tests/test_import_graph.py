"""Apps depend one way (issue 15): read from the source with `ast`, no Django needed.

An app may import only the apps before it in LAYERS; the project package `itpulse` wires the
apps together and no app imports it. A lower app that must tell a higher one something sends a
signal (surveys/signals.py) instead of importing it. Imports inside functions, the usual way to
dodge a circle, are counted: only the few in DEFERRED_ALLOWED, each with its reason, may stay.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The one statement of the layer order, lowest first: an app may import only apps before it.
# README's architecture section describes the same order; change both together.
LAYERS = [
    "audit",
    "surveys",
    "accounts",
    "scoring",
    "delivery",
    "followups",
    "campaigns",
    "ratings",
    "integrations",
    "webhooks",
    "api",
    "privacy",
    "signin",
    "setup",
]
PROJECT = "itpulse"  # imports apps; no app imports it

# Upward imports tolerated while their removal is under way, each with who removes it. Empty
# since the answer scale moved into surveys (surveys/scales.py); an entry is a debt, not a fix.
UPWARD_ALLOWED: set[tuple[str, str]] = set()

# Function-level imports between our own modules that stay, "path: imported module" → why.
# AppConfig.ready() importing receivers is Django's convention and needs no entry.
DEFERRED_ALLOWED: dict[str, str] = {}


def our_packages(root: Path) -> list[str]:
    return [name for name in [*LAYERS, PROJECT] if (root / name / "__init__.py").exists()]


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not node.level:
        return [node.module or ""]
    # `from . import x` in a package's __init__ is relative to the package itself.
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    if node.module:
        return [".".join([*base, node.module])]
    # `from . import a, b`: each name may be a module of its own.
    return [".".join([*base, alias.name]) for alias in node.names]


def _is_ready(function: ast.AST, path: Path) -> bool:
    return path.name == "apps.py" and getattr(function, "name", "") == "ready"


def scan(root: Path) -> list[dict]:
    """Every import of one of our packages in app and project code (migrations aside):
    {"src": app, "dst": app, "path", "line", "module", "deferred", "ready"}."""
    packages = set(our_packages(root))
    found = []
    for package in sorted(packages):
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            module = _module_name(path, root)
            # Parent links, to tell an import inside a function from one at module level.
            for parent in ast.walk(tree):
                for child in ast.iter_child_nodes(parent):
                    child._parent = parent  # type: ignore[attr-defined]
            for node in ast.walk(tree):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                function = node._parent  # type: ignore[attr-defined]
                while not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
                    function = function._parent  # type: ignore[attr-defined]
                deferred = not isinstance(function, ast.Module)
                for target in _targets(node, module, path.name == "__init__.py"):
                    dst = target.split(".")[0]
                    if dst not in packages:
                        continue
                    found.append(
                        {
                            "src": package,
                            "dst": dst,
                            "path": path.relative_to(root).as_posix(),
                            "line": node.lineno,
                            "module": target,
                            "deferred": deferred,
                            "ready": deferred and _is_ready(function, path),
                        }
                    )
    return found


def app_edges(imports: list[dict]) -> dict[tuple[str, str], list[str]]:
    edges = defaultdict(list)
    for imp in imports:
        if imp["src"] != imp["dst"]:
            edges[(imp["src"], imp["dst"])].append(f"{imp['path']}:{imp['line']} {imp['module']}")
    return dict(edges)


def cycles(edges) -> list[list[str]]:
    """Each cycle between apps once, as the list of apps along it (depth-first search)."""
    graph = defaultdict(set)
    for src, dst in edges:
        graph[src].add(dst)
    found, seen = [], set()

    def visit(node, path):
        for nxt in sorted(graph[node]):
            if nxt in path:
                cycle = path[path.index(nxt) :]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    found.append([*cycle, nxt])
            elif len(path) < len(graph) + 1:
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


def upward(edges) -> list[str]:
    """Imports against LAYERS, and any of `itpulse` by an app."""
    wrong = []
    for (src, dst), where in sorted(edges.items()):
        if dst == PROJECT:
            wrong.append(f"{src} imports the project package {PROJECT}: {where}")
        elif (
            src != PROJECT
            and LAYERS.index(dst) > LAYERS.index(src)
            and (src, dst) not in UPWARD_ALLOWED
        ):
            wrong.append(f"{src} imports {dst}, which comes after it in LAYERS: {where}")
    return wrong


def deferred_not_allowed(imports: list[dict]) -> list[str]:
    return [
        f"{imp['path']}:{imp['line']} imports {imp['module']} inside a function"
        for imp in imports
        if imp["deferred"]
        and not imp["ready"]
        and f"{imp['path']}: {imp['module']}" not in DEFERRED_ALLOWED
    ]


@pytest.fixture(scope="module")
def imports():
    return scan(ROOT)


def test_every_app_is_placed_in_the_layers():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= {*LAYERS, PROJECT}, f"add {apps - {*LAYERS, PROJECT}} to LAYERS"


def test_no_cycle_between_apps(imports):
    # Apart from the upward edges still allowed above: each of those closes a cycle.
    edges = {
        edge: where for edge, where in app_edges(imports).items() if edge not in UPWARD_ALLOWED
    }
    assert cycles(edges) == []


def test_apps_import_only_the_layers_below_them_and_never_the_project(imports):
    assert upward(app_edges(imports)) == []


def test_function_level_imports_between_our_modules_are_the_allowed_few(imports):
    assert deferred_not_allowed(imports) == []
    # The allow-list is a handful at most, and shrinks: a new reason must beat the design.
    assert len(DEFERRED_ALLOWED) <= 12


def test_upward_allow_list_names_only_real_upward_edges():
    for src, dst in UPWARD_ALLOWED:
        assert LAYERS.index(dst) > LAYERS.index(src), (src, dst)


# The checks themselves, on a planted tree: each must see what it guards against.


def _plant(root: Path, files: dict[str, str]) -> list[dict]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for package in {name.split("/")[0] for name in files}:
        (root / package / "__init__.py").touch()
    return scan(root)


def test_a_planted_cycle_is_found(tmp_path):
    found = _plant(
        tmp_path,
        {
            "surveys/models.py": "from delivery.rules import Planner\n",
            "delivery/rules.py": "from surveys.models import Invitation\n",
        },
    )
    assert cycles(app_edges(found)) == [["delivery", "surveys", "delivery"]]
    assert upward(app_edges(found)) == [
        "surveys imports delivery, which comes after it in LAYERS: "
        "['surveys/models.py:1 delivery.rules']"
    ]


def test_a_planted_import_of_the_project_is_found(tmp_path):
    found = _plant(
        tmp_path,
        {"scoring/tasks.py": "from itpulse.celery import app\n", "itpulse/urls.py": ""},
    )
    [problem] = upward(app_edges(found))
    assert problem.startswith("scoring imports the project package itpulse")


def test_a_planted_relative_import_inside_a_function_is_counted(tmp_path):
    found = _plant(
        tmp_path,
        {
            "surveys/services.py": "def f():\n    from . import models\n",
            "surveys/models.py": "",
            "surveys/apps.py": "class C:\n    def ready(self):\n        from . import receivers\n",
        },
    )
    assert deferred_not_allowed(found) == [
        "surveys/services.py:2 imports surveys.models inside a function"
    ]
