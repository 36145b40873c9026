"""Symfony Console's command line, as Terminus parses it: options, arguments, usage errors.

Click parses our commands, but a usage error must read and exit as Terminus' does: a
padded block naming the problem, the command's synopsis, exit code 1. :func:`check`
walks the arguments the way Symfony's ``ArgvInput`` does and raises :class:`UsageError`
with Symfony's wording before click sees them; :func:`usage_block` lays the message out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FLAG, REQUIRED, OPTIONAL = "flag", "required", "optional"


@dataclass(frozen=True)
class Option:
    name: str  # long name, without dashes
    mode: str = FLAG
    short: str | None = None
    repeat: bool = False  # -vvv
    in_synopsis: bool = True  # the global options are left out of a command's synopsis


class UsageError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


GLOBAL_OPTIONS: tuple[Option, ...] = (
    Option("help", short="h", in_synopsis=False),
    Option("quiet", short="q", in_synopsis=False),
    Option("verbose", short="v", repeat=True, in_synopsis=False),
    Option("version", short="V", in_synopsis=False),
    Option("ansi", in_synopsis=False),
    Option("no-ansi", in_synopsis=False),
    Option("no-interaction", short="n", in_synopsis=False),
    Option("define", REQUIRED, short="D", in_synopsis=False),
    Option("yes", short="y", in_synopsis=False),
)


def synopsis(command: str, options: Sequence[Option], arguments: Sequence[str]) -> str:
    """``secret:site:list [--debug] [--format FORMAT] [--] <site_id>``, as Symfony writes it."""
    parts = [command]
    for option in options:
        if not option.in_synopsis:
            continue
        value = option.name.upper().replace("-", "_")
        if option.mode == REQUIRED:
            parts.append(f"[--{option.name} {value}]")
        elif option.mode == OPTIONAL:
            parts.append(f"[--{option.name} [{value}]]")
        else:
            parts.append(f"[--{option.name}]")
    if arguments:
        parts.append("[--]")
        parts.extend(f"<{name}>" for name in arguments)
    return " ".join(parts)


def wants_help_or_version(argv: Sequence[str]) -> str | None:
    """``"version"`` or ``"help"`` if asked for before ``--`` (Symfony looks before it parses)."""
    seen = set()
    for token in argv:
        if token == "--":
            break
        if token in ("--version", "-V"):
            seen.add("version")
        elif token in ("--help", "-h"):
            seen.add("help")
        elif token.startswith("-") and not token.startswith("--") and len(token) > 1:
            letters = token[1:]
            if "V" in letters:
                seen.add("version")
            elif "h" in letters:
                seen.add("help")
    if "version" in seen:
        return "version"
    return "help" if "help" in seen else None


def check(command: str, argv: Sequence[str], options: Sequence[Option], arguments: Sequence[str]) -> None:
    """Raise UsageError with Symfony's words if ``argv`` is not a valid call of ``command``."""
    by_name = {option.name: option for option in options}
    by_short = {option.short: option for option in options if option.short}
    tokens = list(argv)
    positional: list[str] = []
    only_arguments = False
    while tokens:
        token = tokens.pop(0)
        if only_arguments or token == "-" or not token.startswith("-") or token == "":
            positional.append(token)
        elif token == "--":
            only_arguments = True
        elif token.startswith("--"):
            name, has_value, value = token[2:].partition("=")
            _long(by_name, name, value if has_value else None, tokens)
        else:
            _short_set(by_name, by_short, token[1:], tokens)
    if len(positional) > len(arguments):
        if arguments:
            expected = '" "'.join(arguments)
            raise UsageError(f'Too many arguments to "{command}" command, expected arguments "{expected}".')
        raise UsageError(f'No arguments expected for "{command}" command, got "{positional[0]}".')
    missing = arguments[len(positional) :]
    if missing:
        raise UsageError(f'Not enough arguments (missing: "{", ".join(missing)}").')


def _long(by_name: dict[str, Option], name: str, value: str | None, tokens: list[str]) -> None:
    option = by_name.get(name)
    if option is None:
        raise UsageError(f'The "--{name}" option does not exist.')
    if option.mode == FLAG:
        if value is not None:
            raise UsageError(f'The "--{name}" option does not accept a value.')
        return
    if value is None and tokens:
        following = tokens[0]
        if following == "" or not following.startswith("-"):
            value = tokens.pop(0)
    if value is None and option.mode == REQUIRED:
        raise UsageError(f'The "--{name}" option requires a value.')


def _short_set(by_name: dict[str, Option], by_short: dict[str, Option], letters: str, tokens: list[str]) -> None:
    for index, letter in enumerate(letters):
        option = by_short.get(letter)
        if option is None:
            raise UsageError(f'The "-{letter}" option does not exist.')
        if option.mode != FLAG:
            rest = letters[index + 1 :]
            _long(by_name, option.name, rest or None, tokens)
            return


# -- --ansi: Symfony's decorated output, as Terminus' styles colour it ---------------------

GREEN = ("\x1b[32m", "\x1b[39m")  # <info>: values in log messages, table headers, the synopsis
LEVEL_STYLES = {
    "error": ("\x1b[37;41;1m", "\x1b[39;49;22m"),
    "warning": ("\x1b[30;43;1m", "\x1b[39;49;22m"),
    "notice": ("\x1b[37;46;1m", "\x1b[39;49;22m"),
}
USAGE_BLOCK = ("\x1b[37;41m", "\x1b[39;49m")


def wants_ansi(argv: Sequence[str]) -> bool:
    """True if ``--ansi`` is on the line before ``--`` (it wins over ``--no-ansi``, as in Symfony)."""
    for token in argv:
        if token == "--":
            return False
        if token == "--ansi" or token.startswith("--ansi="):
            return True
    return False


def styled(style: tuple[str, str], text: str) -> str:
    """``text`` in ``style``; Symfony leaves an empty text as it is."""
    return f"{style[0]}{text}{style[1]}" if text else ""


def usage_block(message: str, synopsis_line: str, width: int, ansi: bool = False) -> str:
    """The text Symfony writes to stderr for a usage error at terminal ``width``."""
    inner = max(width - 1, 5) - 4
    lines = [message[i : i + inner] for i in range(0, len(message), inner)] or [""]
    length = max(len(line) for line in lines) + 4
    body = [" " * length] + [f"  {line}  ".ljust(length) for line in lines] + [" " * length]
    if ansi:
        body = [styled(USAGE_BLOCK, line) for line in body]
        synopsis_line = styled(GREEN, synopsis_line)
    return "\n" + "\n".join(body) + "\n\n" + synopsis_line + "\n\n"


def log_line(level: str, template: str, values: dict[str, str], ansi: bool) -> str:
    """One Terminus log line (without its newline): `` [notice] ...``, `` [error]  ... ``.

    ``values`` fill ``{placeholders}`` of ``template``; with ``--ansi`` the level is in its
    colours, an error message in the error style, and each value in green (an empty value
    still splits the error style, as Symfony's formatter does).
    """
    if level == "error":  # Terminus' logger writes an error as `<error> MESSAGE </error>`
        template = f" {template} "
    pieces = _split_template(template, values) if values else [(template, False)]
    if not ansi:
        return f" [{level}] " + "".join(values[text] if is_value else text for text, is_value in pieces)
    style = LEVEL_STYLES.get(level)
    parts: list[str] = []
    for text, is_value in pieces:
        if is_value:
            parts.append(styled(GREEN, values[text]))
        elif level == "error" and style:
            parts.append(styled(style, text))
        else:
            parts.append(text)
    head = styled(style, f"[{level}]") if style else f"[{level}]"
    return f" {head} {''.join(parts)}"


def _split_template(template: str, names: Iterable[str]) -> list[tuple[str, bool]]:
    """``"a {x} b"`` as ``[("a ", False), ("x", True), (" b", False)]`` (only ``{name}`` of ``names``)."""
    pattern = re.compile("\\{(" + "|".join(re.escape(name) for name in names) + ")\\}")
    pieces: list[tuple[str, bool]] = []
    start = 0
    for match in pattern.finditer(template):
        pieces += [(template[start : match.start()], False), (match.group(1), True)]
        start = match.end()
    pieces.append((template[start:], False))
    return pieces
