"""The tree keeps its shape: no import cycles, no import against the layer order."""

from __future__ import annotations

from pathlib import Path

from tools import import_graph

ROOT = Path(__file__).resolve().parent.parent / "bot"


def test_bot_has_no_import_cycles() -> None:
    mods = import_graph.modules(ROOT)
    assert import_graph.cycles(sorted(mods), import_graph.imports(mods)) == []


def test_no_import_runs_back_up() -> None:
    mods = import_graph.modules(ROOT)
    assert import_graph.upward(import_graph.imports(mods)) == []


def test_features_reach_each_other_only_through_their_package_roots() -> None:
    mods = import_graph.modules(ROOT)
    assert import_graph.past_public_face(import_graph.imports(mods)) == []


def test_only_entry_points_and_wiring_at_the_root() -> None:
    loose = {p.stem for p in ROOT.glob("*.py")} - {"__init__"}
    assert loose == {"__main__", "app", "cli", "config", "wiring"}


def test_the_checks_can_fail(tmp_path: Path) -> None:
    # A feature that imports the app, and two modules that import each other.
    root = tmp_path / "bot"
    (root / "core").mkdir(parents=True)
    (root / "gate").mkdir()
    (root / "__init__.py").write_text("")
    (root / "core" / "__init__.py").write_text("")
    (root / "core" / "a.py").write_text("from bot.core import b\n")
    (root / "core" / "b.py").write_text("if False:\n    from bot.core.a import x\n")
    (root / "gate" / "__init__.py").write_text("def f():\n    from bot.app import build\n")
    (root / "app.py").write_text("from bot import gate\n")
    # A feature reaching past another's public face; and one using it properly.
    (root / "polls").mkdir()
    (root / "polls" / "__init__.py").write_text("from bot.polls.repo import get\n")
    (root / "polls" / "repo.py").write_text("def get(): ...\n")
    (root / "previews").mkdir()
    (root / "previews" / "__init__.py").write_text("")
    (root / "previews" / "service.py").write_text("from bot.polls.repo import get\n")
    (root / "previews" / "teaser.py").write_text("from bot.polls import get\n")
    mods = import_graph.modules(root)
    edges = import_graph.imports(mods)
    assert import_graph.cycles(sorted(mods), edges) == [
        ["bot.app", "bot.gate"],
        ["bot.core.a", "bot.core.b"],
    ]
    assert import_graph.upward(edges) == [("bot.gate", "bot.app")]
    assert import_graph.past_public_face(edges) == [("bot.previews.service", "bot.polls.repo")]
