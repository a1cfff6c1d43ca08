"""The import graph of ``bot/``: cycles, and imports that run against the layer order.

``python -m tools.import_graph`` prints the figures; ``tests/test_layout.py`` keeps them at
zero. Every import counts, including those under ``TYPE_CHECKING`` and inside functions:
a cycle hidden behind a local import is still a cycle for the reader.

Layers, lowest first: core (``bot.core``, ``bot.db``, ``bot.sentiment``, ``bot.config``) <-
features (``bot.basics``, every feature package, and ``bot.context``, which names them all
for handlers) <- the wiring (``bot.app``, ``bot.wiring``, ``bot.cli``, ``bot.__main__``) <-
the demo. The sandbox stands apart: it may use the core (its clock) and only the demo may
use it. The CLI's ``demo`` command is the one way into the demo.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

CORE = frozenset({"core", "db", "sentiment", "config"})
WIRING = frozenset({"app", "wiring", "cli", "__main__"})
SANDBOX, DEMO = "sandbox", "demo"
# The wiring's one allowed reach upward: ``python -m bot demo``.
ALLOWED = frozenset({("bot.cli", "bot.demo")})


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the bot modules it imports (resolved to the longest known module name)."""

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*parts, base] if base else parts)
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            for target in targets:
                found = resolve(target) if target.split(".")[0] == "bot" else None
                # A package's own __init__ is not an edge from its submodules.
                if found and found != name and not name.startswith(found + "."):
                    edges[name].add(found)
    return edges


def cycles(nodes: Iterable[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def layer(module: str) -> int | None:
    """0 core, 1 features, 2 wiring, 3 demo; None for the sandbox (apart)."""
    top = module.split(".")[1] if "." in module else "__init__"
    if top in CORE or top == "__init__":
        return 0
    if top in WIRING:
        return 2
    if top == DEMO:
        return 3
    if top == SANDBOX:
        return None
    return 1


def upward(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports against the layer order (and into or out of the sandbox where not allowed)."""
    wrong = []
    for source, targets in edges.items():
        for target in targets:
            if (source, target) in ALLOWED:
                continue
            have, want = layer(source), layer(target)
            if have is None:
                bad = want not in (None, 0)  # the sandbox may use the core only
            elif want is None:
                bad = have != 3  # only the demo drives the sandbox
            else:
                bad = want > have
            if bad:
                wrong.append((source, target))
    return sorted(wrong)


def _feature(module: str) -> str | None:
    """The feature package a module belongs to (``bot.polls.repo`` -> ``bot.polls``)."""
    if layer(module) != 1:
        return None
    return ".".join(module.split(".")[:2])


def past_public_face(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports from one feature into another feature's internals.

    A feature offers other features only what its package root (``__init__``) exports, its
    public face; everything else (its repo, service, handlers) may change without notice.
    """
    wrong = []
    for source, targets in edges.items():
        have = _feature(source)
        if have is None:
            continue
        for target in targets:
            want = _feature(target)
            if want is not None and want != have and target != want:
                wrong.append((source, target))
    return sorted(wrong)


def main(root: Path = Path("bot")) -> int:
    mods = modules(root)
    edges = imports(mods)
    found = cycles(sorted(mods), edges)
    wrong = upward(edges)
    internal = past_public_face(edges)
    loose = sorted(m for m, p in mods.items() if m.count(".") == 1 and p.name != "__init__.py")
    print(f"modules: {len(mods)}, imports between them: {sum(map(len, edges.values()))}")
    print(f"cycles: {len(found)}")
    for component in found:
        print("   ", " <-> ".join(component))
    print(f"upward imports: {len(wrong)}")
    for source, target in wrong:
        print(f"    {source} -> {target}")
    print(f"imports past a feature's public face: {len(internal)}")
    for source, target in internal:
        print(f"    {source} -> {target}")
    print(f"modules at bot/'s root: {len(loose)} ({', '.join(loose)})")
    return 1 if found or wrong or internal else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("bot")))
