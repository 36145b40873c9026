"""Symfony Console's command line, as Terminus parses it: options, arguments, usage errors.

Click parses our commands, but a usage error must read and exit as Terminus' does: a
padded block naming the problem, the command's synopsis, exit code 1. :func:`check`
walks the arguments the way Symfony's ``ArgvInput`` does and raises :class:`UsageError`
with Symfony's wording before click sees them; :func:`usage_block` lays the message out.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def usage_block(message: str, synopsis_line: str, width: int) -> str:
    """The text Symfony writes to stderr for a usage error at terminal ``width``."""
    inner = max(width - 1, 5) - 4
    lines = [message[i : i + inner] for i in range(0, len(message), inner)] or [""]
    length = max(len(line) for line in lines) + 4
    body = [" " * length] + [f"  {line}  ".ljust(length) for line in lines] + [" " * length]
    return "\n" + "\n".join(body) + "\n\n" + synopsis_line + "\n\n"
