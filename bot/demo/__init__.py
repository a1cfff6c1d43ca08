"""``python -m bot demo`` and the simulated club: the bot played against the sandbox.

Apart from the bot: nothing under ``bot/`` but the CLI's ``demo`` command imports this
package. ``simulation`` wires the sandbox and the real Application together (tests, demo,
benchmarks); ``story`` is the scripted day, one scene module per feature it shows;
``clubs`` is one bot serving two clubs (``--clubs 2``).
"""

from bot.demo.clubs import run_clubs_demo
from bot.demo.story import run_demo

__all__ = ["run_clubs_demo", "run_demo"]
