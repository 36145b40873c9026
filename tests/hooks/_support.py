"""Helpers for the plugin tests: the docs' code blocks as modules, and a real ``serve`` process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import types
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_DOCS = ROOT / "docs" / "plugins.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def code_blocks(text: str, language: str) -> list[str]:
    """Every fenced block of ``language`` in ``text``, in order."""
    return [body for lang, body in FENCE.findall(text) if lang == language]


def sections(text: str) -> dict[str, str]:
    """``### heading`` -> the text up to the next heading of level 2 or 3."""
    parts = re.split(r"^(#{2,3} .*)$", text, flags=re.M)
    return {parts[i][4:].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2) if parts[i].startswith("### ")}


def hook_examples() -> dict[str, list[str]]:
    """Hook name -> the python examples in its section of docs/plugins.md."""
    return {
        name: code_blocks(body, "python")
        for name, body in sections(PLUGIN_DOCS.read_text(encoding="utf-8")).items()
        if name.startswith("pantheon_emulator_")
    }


def marked_block(marker: str, language: str) -> str:
    """The first ``language`` block after ``<!-- marker -->`` in docs/plugins.md."""
    text = PLUGIN_DOCS.read_text(encoding="utf-8")
    start = text.index(f"<!-- {marker}")
    return code_blocks(text[start:], language)[0]


def module_from_source(source: str, name: str) -> types.ModuleType:
    """``source`` executed as a fresh module called ``name`` (a plugin written from the docs)."""
    module = types.ModuleType(name)
    module.__file__ = f"<docs:{name}>"
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def example_plugin(hook: str, index: int = 0) -> types.ModuleType:
    return module_from_source(hook_examples()[hook][index], f"docs_example_{hook}_{index}")


@dataclass
class ServerProcess:
    """A ``pantheon-emulator serve`` child process and what it printed at start-up."""

    process: subprocess.Popen
    url: str = ""
    banner: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None  # drains stderr until the process ends

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.reader is not None:
            self.reader.join(timeout=5)
        if self.process.stderr is not None:
            self.process.stderr.close()


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """os.environ without PANTHEON_EMULATOR_* (so the caller's own settings cannot leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTHEON_EMULATOR_")}
    env.update(extra or {})
    return env


def emulator_command() -> str:
    script = Path(sys.executable).with_name("pantheon-emulator")
    return str(script) if script.exists() else "pantheon-emulator"
