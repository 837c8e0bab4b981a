"""Type-annotation coverage of the app code: the share of functions whose signature is complete.

A function counts as annotated when every parameter (self and cls aside) and its return carry a
type, as mypy's disallow_untyped_defs demands (an __init__ may leave its return out when it has
typed parameters). The apps are found as scripts/appdirs.py finds them for mypy; migrations are
left out. Prints one line per app and the total:

    .venv/bin/python scripts/typecoverage.py
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from appdirs import app_dirs  # noqa: E402  (scripts/ is not a package)


def is_complete(node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> bool:
    args = node.args
    positional = args.posonlyargs + args.args
    if in_class and positional and not _is_static(node):
        positional = positional[1:]  # self or cls: mypy infers it
    params = positional + args.kwonlyargs
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    if any(p.annotation is None for p in params):
        return False
    if node.returns is None:
        # mypy accepts an __init__ with typed arguments and no return annotation.
        return node.name == "__init__" and bool(params)
    return True


def _is_static(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)


def count(path: Path) -> tuple[int, int]:
    """(functions, fully annotated functions) in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    total = done = 0

    def visit(node: ast.AST, in_class: bool) -> None:
        nonlocal total, done
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                total += 1
                done += is_complete(child, in_class)
                visit(child, in_class=False)
            elif isinstance(child, ast.ClassDef):
                visit(child, in_class=True)
            else:
                visit(child, in_class)

    visit(tree, in_class=False)
    return total, done


def main() -> None:
    grand_total = grand_done = 0
    print(f"{'app':<14}{'functions':>10}{'typed':>8}{'share':>8}")
    for app in app_dirs(ROOT):
        total = done = 0
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            t, d = count(path)
            total += t
            done += d
        grand_total += total
        grand_done += done
        share = f"{100 * done / total:.0f}%" if total else "-"
        print(f"{app:<14}{total:>10}{done:>8}{share:>8}")
    print(f"{'total':<14}{grand_total:>10}{grand_done:>8}{100 * grand_done / grand_total:>7.0f}%")


if __name__ == "__main__":
    main()
