"""docs/configuration.md names every environment variable ITPulse reads, and only those.

An operator learns what can be set from that page alone: a variable added to the settings but
not to the page is a setting nobody knows about, and a row left behind after a variable is gone
promises a knob that does nothing.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "configuration.md"
# Where the app reads its environment: the settings, and gunicorn's own configuration.
READERS = [ROOT / "itpulse" / "settings.py", ROOT / "itpulse" / "gunicorn.py"]
SCRIPTS_ONLY = "## Read by the scripts and docker compose only"
NAME = re.compile(r"[A-Z][A-Z0-9_]*")
ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \|(.*)$", re.MULTILINE)


def _is_environ(node: ast.expr) -> bool:
    """`env.…`, `environ.Env().…` or `os.environ.…`."""
    if isinstance(node, ast.Name):
        return node.id == "env"
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Attribute) and node.func.attr == "Env"
    if isinstance(node, ast.Attribute):
        return node.attr == "environ"
    return False


def variables_read(path: Path) -> set[str]:
    """Names passed to the environment readers of `path`: env.str("X"), os.environ.get("X"),
    and the module's own helpers whose first parameter is the variable's name (envbool, _days)."""
    tree = ast.parse(path.read_text())
    helpers = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.args.args and node.args.args[0].arg == "name"
    }
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        if not NAME.fullmatch(first.value):
            continue
        func = node.func
        reads_environ = isinstance(func, ast.Attribute) and _is_environ(func.value)
        if reads_environ or (isinstance(func, ast.Name) and func.id in helpers):
            found.add(first.value)
    return found


def documented() -> tuple[set[str], dict[str, str]]:
    """The app's variables (every table before the scripts' section), and the scripts' own
    variables with the column that says which files read them."""
    text = DOC.read_text()
    app_part, _, scripts_part = text.partition(SCRIPTS_ONLY)
    assert scripts_part, f"{DOC.name} lost its section {SCRIPTS_ONLY!r}"
    app = {name for name, _rest in ROW.findall(app_part)}
    scripts = {name: rest.split("|")[0] for name, rest in ROW.findall(scripts_part)}
    return app, scripts


def test_every_variable_the_app_reads_is_documented():
    read = set().union(*(variables_read(path) for path in READERS))
    app, _scripts = documented()
    missing = sorted(read - app)
    assert not missing, f"read by the settings but not in docs/configuration.md: {missing}"


def test_every_documented_variable_is_read():
    read = set().union(*(variables_read(path) for path in READERS))
    app, _scripts = documented()
    stale = sorted(app - read)
    assert not stale, f"in docs/configuration.md but read by no setting: {stale}"


def test_every_script_variable_is_read_where_the_page_says():
    _app, scripts = documented()
    assert scripts
    for name, readers in scripts.items():
        paths = [ROOT / part for part in re.findall(r"`([^`]+)`", readers)]
        assert paths, f"{name}: the page names no file that reads it"
        files = [f for p in paths for f in (sorted(p.rglob("*")) if p.is_dir() else [p])]
        texts = (f.read_text(errors="replace") for f in files if f.is_file())
        assert any(name in text for text in texts), f"{name} is not read by {readers.strip()}"


def test_the_reader_finds_what_the_settings_read():
    """The parser itself: a few variables read in each of its forms."""
    read = variables_read(READERS[0])
    assert {"DATABASE_URL", "DEBUG", "ITPULSE_VAR_DIR", "ITPULSE_RETENTION_DAYS"} <= read
    assert "EMAIL_HOST" not in read  # a key of the parsed EMAIL_URL, not a variable
    assert {"WEB_CONCURRENCY", "GUNICORN_BIND"} <= variables_read(READERS[1])
