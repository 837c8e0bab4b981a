"""The project's own packages (the Django apps and the project package), found rather than listed.

mypy (scripts/test.sh) and scripts/typecoverage.py check every top-level folder holding an
__init__.py or apps.py, so that an app added tomorrow is type-checked without anyone remembering
to add it. Tests, benchmarks and tooling are not app code.
"""

import sys
from pathlib import Path

NOT_APPS = {"tests", "bench", "scripts", "docs", "locale", "static", "templates"}


def app_dirs(root: Path) -> list[str]:
    return sorted(
        d.name
        for d in root.iterdir()
        if d.is_dir()
        and not d.name.startswith(".")
        and d.name not in NOT_APPS
        and ((d / "__init__.py").exists() or (d / "apps.py").exists())
    )


if __name__ == "__main__":
    print(" ".join(app_dirs(Path(sys.argv[1] if len(sys.argv) > 1 else "."))))
