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
    assert loose == {"__main__", "app", "cli", "wiring"}


MAX_LINES = 400
# Files allowed past MAX_LINES, each with the reason it may be long.
LONG_FILES = {
    # One entry per Bot API method the sandbox fakes: a table, read by method name, that
    # would only be scattered by splitting it.
    "sandbox/methods.py",
}


def long_files(root: Path, allowed: set[str]) -> list[tuple[str, int]]:
    """(path under root, lines) of each Python file over MAX_LINES and not in ``allowed``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and name not in allowed:
            found.append((name, lines))
    return found


def test_no_file_in_bot_is_over_400_lines() -> None:
    assert long_files(ROOT, LONG_FILES) == []


def test_the_allow_list_names_files_that_exist() -> None:
    # A stale entry would let a new file of that name grow unchecked.
    assert {name for name in LONG_FILES if not (ROOT / name).is_file()} == set()


def test_the_size_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "pkg" / "table.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "short.py").write_text("x = 1\n" * MAX_LINES)
    assert long_files(tmp_path, {"pkg/table.py"}) == [("pkg/long.py", MAX_LINES + 1)]


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
