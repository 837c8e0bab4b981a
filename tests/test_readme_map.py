"""The README's architecture map stays true (issue 15.6): its table names exactly the packages of
the layer order that tests/test_import_graph.py enforces, in that order, and every file or
folder it points a reader to exists."""

import re
from pathlib import Path

from django.conf import settings

from .test_import_graph import LAYERS

ROOT = Path(__file__).resolve().parent.parent


def architecture() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("\n## Architecture\n", 1)[1].split("\n## ", 1)[0]


def test_the_map_lists_every_app_in_the_layer_order():
    table = re.findall(r"^\| `([a-z_]+)` \|", architecture(), flags=re.MULTILINE)
    assert table == LAYERS
    ours = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]
    assert set(ours) <= set(LAYERS), "an installed app missing from the map and LAYERS"


def test_every_path_the_map_names_exists():
    named = set(re.findall(r"`([\w./-]+/[\w./-]*)`", architecture()))
    assert len(named) > 10  # the map points to files, so the check below means something
    missing = [
        path
        for path in sorted(named)
        if not path.startswith("/")  # URLs such as /api/v1/
        and not (ROOT / path).exists()
        and not any(ROOT.glob(path.replace("<app>", "*")))
    ]
    assert missing == []
