"""What a site's code needs, found by reading its files (never by running them).

- ``composer.json``: the private repositories (VCS/git repositories on any host, private
  Composer repositories) and the host each needs Composer auth for; repositories cloned
  over SSH; packages known to need a key from the build's environment.
- PHP: ``pantheon_get_secret('NAME')`` and the SDK's ``getSecret('NAME')``; JS/TS:
  ``pantheonGetSecret('NAME')``, and ``process.env.NAME`` (read by Node sites).

Every need carries the file (relative to the tree) and line it comes from.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from emulator.core import policy

M = policy.Messages
PHP_SUFFIXES = (".php", ".inc", ".module", ".theme", ".install", ".profile")
JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")
SKIPPED_DIRECTORIES = {"vendor", "node_modules", ".git", ".next", ".venv", "__pycache__"}
MAX_FILE_BYTES = 2 * 1024 * 1024
CLONED_KINDS = ("vcs", "git", "github", "gitlab", "bitbucket")
# [doc] (troubleshooting page) packages that read a key from the build's environment.
PACKAGE_KEYS: dict[str, str] = {"pivvenit/acf-pro-installer": "ACF_PRO_KEY"}

_NAME = r"""(['"`])([^'"`\s]{1,255})\1"""
PHP_READS = (
    re.compile(r"\bpantheon_get_secret\s*\(\s*" + _NAME),
    re.compile(r"\bgetSecret\s*\(\s*" + _NAME),
)
JS_READS = (re.compile(r"\bpantheonGetSecret\s*\(\s*" + _NAME),)
NODE_ENV_READS = (
    re.compile(r"\bprocess\.env\.([A-Za-z_][A-Za-z0-9_]*)"),
    re.compile(r"""\bprocess\.env\[\s*(['"`])([A-Za-z_][A-Za-z0-9_]*)\1\s*\]"""),
)
SSH_SCP = re.compile(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)$")


class SiteCodeError(Exception):
    """The tree cannot be read: no composer.json, invalid JSON, not a directory."""


@dataclass(frozen=True)
class Where:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Repository:
    kind: str
    url: str
    host: str
    where: Where
    ssh: bool = False
    https_url: str = ""


@dataclass(frozen=True)
class Read:
    """A secret name the code reads; ``variable`` when read as ``process.env.NAME``."""

    name: str
    where: Where
    variable: bool = False


@dataclass
class SiteCode:
    root: Path
    repositories: list[Repository] = field(default_factory=list)
    package_keys: list[tuple[str, str, Where]] = field(default_factory=list)  # (package, variable, where)
    reads: list[Read] = field(default_factory=list)

    def read_names(self) -> set[str]:
        return {read.name for read in self.reads}


def https_for(url: str) -> tuple[bool, str, str]:
    """``(is_ssh, https_url, host)`` for a repository URL."""
    if url.startswith("ssh://") or url.startswith("git+ssh://"):
        parts = urlsplit(url.split("+", 1)[-1] if url.startswith("git+") else url)
        host = parts.hostname or ""
        return True, f"https://{host}{parts.path}", host
    scp = SSH_SCP.match(url)
    if scp and "://" not in url:
        host, path = scp.group(1), scp.group(2)
        return True, f"https://{host}/{path.lstrip('/')}", host
    return False, url, (urlsplit(url).hostname or "")


def _line_of(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def read_composer(root: Path, node: bool = False) -> tuple[list[Repository], list[tuple[str, str, Where]]]:
    path = root / "composer.json"
    if not path.is_file() and node and (root / "package.json").is_file():
        return [], []  # a Node site without PHP dependencies
    if not path.is_file():
        raise SiteCodeError(M.DOCTOR_NO_COMPOSER_JSON.format(path=root))
    try:
        text = path.read_text(encoding="utf-8")
        doc: Any = json.loads(text)
    except UnicodeDecodeError as error:
        raise SiteCodeError(M.DOCTOR_BAD_COMPOSER_JSON.format(path=path, detail=f"not UTF-8 ({error.reason})")) from None
    except json.JSONDecodeError as error:
        detail = f"{error.msg} at line {error.lineno} column {error.colno}"
        raise SiteCodeError(M.DOCTOR_BAD_COMPOSER_JSON.format(path=path, detail=detail)) from None
    if not isinstance(doc, dict):
        raise SiteCodeError(M.DOCTOR_BAD_COMPOSER_JSON.format(path=path, detail="expected a JSON object"))
    declared = doc.get("repositories") or []
    if isinstance(declared, dict):
        declared = list(declared.values())
    repositories = []
    for repo in declared if isinstance(declared, list) else []:
        if not isinstance(repo, dict) or not isinstance(repo.get("url"), str):
            continue
        kind, url = str(repo.get("type", "")), repo["url"]
        if kind not in (*CLONED_KINDS, "composer"):
            continue  # path, package, artifact: nothing to fetch with credentials
        ssh, https_url, host = https_for(url)
        if not host or host in policy.DOCTOR_PUBLIC_HOSTS:
            continue
        where = Where("composer.json", _line_of(text, json.dumps(url)[1:-1]))
        repositories.append(Repository(kind, url, host, where, ssh, https_url))
    keys = []
    for section in ("require", "require-dev"):
        packages = doc.get(section)
        for package in packages if isinstance(packages, dict) else {}:
            if package in PACKAGE_KEYS:
                keys.append((package, PACKAGE_KEYS[package], Where("composer.json", _line_of(text, f'"{package}"'))))
    return repositories, keys


def _files(root: Path):
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRECTORIES)
        for name in sorted(files):
            if name.endswith(PHP_SUFFIXES + JS_SUFFIXES):
                yield Path(directory) / name


def scan_reads(root: Path, node: bool) -> list[Read]:
    """The secret names PHP and JS/TS files read; ``process.env`` only on a Node site."""
    reads = []
    for path in _files(root):
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        relative = path.relative_to(root).as_posix()
        php = path.name.endswith(PHP_SUFFIXES)
        for number, line in enumerate(text.splitlines(), 1):
            for pattern in PHP_READS if php else JS_READS:
                for match in pattern.finditer(line):
                    reads.append(Read(match.group(2), Where(relative, number)))
            if node and not php:
                for pattern in NODE_ENV_READS:
                    for match in pattern.finditer(line):
                        name = match.group(match.lastindex or 1)
                        if name in policy.DOCTOR_PLATFORM_VARIABLES or name.startswith(policy.DOCTOR_PLATFORM_PREFIXES):
                            continue
                        reads.append(Read(name, Where(relative, number), variable=True))
    return reads


def read_site_code(root: str | Path, node: bool) -> SiteCode:
    """Everything the tree at ``root`` needs; SiteCodeError (one line) when it cannot be read."""
    root = Path(root)
    if not root.is_dir():
        raise SiteCodeError(M.DOCTOR_NO_TREE.format(path=root))
    repositories, keys = read_composer(root, node)
    return SiteCode(root, repositories, keys, scan_reads(root, node))
