"""Build hook: compile the gettext catalogs (``bot/locale/*/LC_MESSAGES/*.po``) to ``.mo``.

The ``.po`` files are the source translators edit and the repository keeps; the ``.mo``
files are built here, for a wheel and for ``pip install -e .`` alike, and never committed.
They are written beside their ``.po`` so an editable install reads them in place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):  # type: ignore[type-arg]  # generic in hatchling
    PLUGIN_NAME = "compile-catalogs"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po in sorted((root / "bot" / "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=po.parent.parent.name)
            mo = po.with_suffix(".mo")
            with mo.open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
            # .mo files are git-ignored, and hatchling leaves ignored files out unless told.
            relative = mo.relative_to(root).as_posix()
            build_data.setdefault("force_include", {})[str(mo)] = relative
