"""SQLite store for the emulator's world; it returns model objects, never rows.

One connection guarded by a lock serves every thread of a process (the GIL
serialises the work anyway, and it keeps ``:memory:`` stores shared). Writes run in
``BEGIN IMMEDIATE`` transactions with a busy timeout, so several processes may share
one file without "database is locked" errors; WAL journaling keeps every committed
write through a crash of the process.

Lookups on every request's path (a user by token, a site or organization by id or
name, org membership) are memoised until a row they read from changes: temporary
triggers on those tables count every change made through this connection, and
``PRAGMA data_version`` reveals any commit by another connection to the same file.
Secret writes leave the memo alone. A memoised answer is therefore always the one
the database would give.
"""

from __future__ import annotations

import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, cast
from urllib.parse import quote

from emulator.core import policy
from emulator.core.errors import InvalidInput, StoreBusy
from emulator.core.model import Environment, Organization, OwnerKind, Secret, Site, User

SCHEMA_VERSION = "2"
# Stores of these versions are migrated in place when opened for writing (read-only, they are read as they are).
# 1 -> 2: organizations.label (the display name Terminus also finds an organization by).
_MIGRATIONS = {"1": ("ALTER TABLE organizations ADD COLUMN label TEXT",)}
_SCHEMA = resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")
# The lookup memo is bounded by (estimated) bytes: it starts afresh beyond _MEMO_MAX_BYTES,
# and a lookup whose key is longer than _MEMO_KEY_MAX_CHARS (a hostile token) is not kept.
_MEMO_MAX_BYTES = 4 * 1024 * 1024
_MEMO_KEY_MAX_CHARS = 1024
_MEMO_ENTRY_OVERHEAD = 512  # the answer (a model object) and the dict slot, roughly
_BUSY_TIMEOUT_MS = 20  # one try at the write lock; transaction() retries until its deadline
READ_ONLY = "The store {path} is read-only: it can be read (export) but not changed."
NOT_A_STORE = (
    "{path} is not a Pantheon secrets emulator store (no schema version {version} in its meta table); "
    "refusing to touch it. Point --db at a new file or an emulator store."
)
_MEMOISED_TABLES = ("users", "organizations", "org_members", "sites", "site_supporting", "site_members", "environments")
_MISSING = object()
T = TypeVar("T")
_TABLES_CHILD_FIRST = (
    "overrides",
    "secrets",
    "environments",
    "site_members",
    "site_supporting",
    "sites",
    "org_members",
    "organizations",
    "users",
)


class StoreUnavailable(InvalidInput):
    """The store file cannot be created or opened."""


def _key_size(key: tuple[object, ...]) -> int:
    return sum(len(part) for part in key if isinstance(part, str))


def _prepare_file(path: Path) -> bool:
    """Create the store file owner-only (0600; SQLite gives its WAL the same mode) if it is new;
    True if it exists but cannot be written (the store is then opened read-only)."""
    if path.exists():
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, policy.SECRET_FILE_MODE))
    return False


def _has_wal(path: str) -> bool:
    """True if the store's write-ahead log holds anything."""
    try:
        return os.path.getsize(path + "-wal") > 0
    except OSError:
        return False


def _check_is_a_store(conn: sqlite3.Connection, path: str) -> str | None:
    """The schema version of the store ``conn`` holds (None if empty); StoreUnavailable
    unless it is an emulator store of our schema or one we can migrate."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return None
    version = None
    if "meta" in tables:
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.Error:
            row = None
        version = str(row[0]) if row else None
    if version != SCHEMA_VERSION and version not in _MIGRATIONS:
        raise StoreUnavailable(NOT_A_STORE.format(path=path, version=SCHEMA_VERSION))
    return version


def _migrate(conn: sqlite3.Connection, version: str) -> None:
    """Bring a store of an older schema ``version`` to SCHEMA_VERSION in one transaction, data kept."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        while version != SCHEMA_VERSION:
            for statement in _MIGRATIONS[version]:
                conn.execute(statement)
            version = str(int(version) + 1)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _scopes_text(scopes: tuple[str, ...]) -> str:
    return ",".join(scopes)


def _scopes_tuple(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ()


class Store:
    """The world, persisted in SQLite at ``path`` (``":memory:"`` for a private one)."""

    def __init__(self, path: str | Path = ":memory:"):
        self.path = str(path)
        self._lock = threading.RLock()
        self.read_only = False
        memory = self.path == ":memory:"
        try:
            if not memory:
                self.read_only = _prepare_file(Path(self.path))
            self._conn = self._connect("mode=ro" if self.read_only else None)
            version: str | None = None
            try:
                if not memory:
                    version = _check_is_a_store(self._conn, self.path)
            except sqlite3.OperationalError:
                if not self.read_only or _has_wal(self.path):
                    raise
                # A read-only folder (a read-only mount, say): SQLite cannot make the WAL's
                # shared-memory file there. With no WAL content left, the file alone is the
                # whole store: read it as immutable.
                self._conn.close()
                self._conn = self._connect("immutable=1")
                version = _check_is_a_store(self._conn, self.path)
            if version not in (None, SCHEMA_VERSION) and not self.read_only:
                _migrate(self._conn, version)
                version = SCHEMA_VERSION
        except (OSError, sqlite3.Error) as error:
            if hasattr(self, "_conn"):
                self._conn.close()  # no descriptor left open on a store that was refused
            why = f"{error} (it is read-only)" if self.read_only else error
            raise StoreUnavailable(f"Cannot open the store {self.path}: {why}.") from None
        except StoreUnavailable:
            self._conn.close()
            raise
        self._conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        if not self.read_only:
            if not memory:
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
            if version is None:  # a store already set up needs no write (and so not the write lock) to open
                self._conn.executescript(_SCHEMA)
                self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        # A read-only store of schema version 1 has no label column: its labels are the names.
        self._label = "name" if version == "1" else "COALESCE(label, name)"
        self._depth = 0
        self._shared = not memory  # a file other connections may write to
        self._world_changes = [0]  # rows of _MEMOISED_TABLES changed through this connection
        self._memo: dict[tuple[str, ...], object] = {}
        self._memo_bytes = 0
        self._memo_generation: tuple[int, int] = (-1, -1)
        if not self.read_only:
            self._count_world_changes()

    def _connect(self, uri_options: str | None) -> sqlite3.Connection:
        target = f"file:{quote(self.path)}?{uri_options}" if uri_options else self.path
        return sqlite3.connect(
            target, check_same_thread=False, isolation_level=None, timeout=policy.STORE_LOCK_WAIT_SECONDS, uri=bool(uri_options)
        )

    def close(self) -> None:
        with self._lock:
            self._memo.clear()
            self._conn.close()

    # -- transactions -------------------------------------------------------------

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[None]:
        """A write transaction (``write=False``: a consistent read snapshot that takes no
        lock); nested calls join the outer one. Rolls back on error.

        While another process holds the write lock, this waits for it in short tries,
        letting go of the connection in between so reads keep flowing; after
        :data:`policy.STORE_LOCK_WAIT_SECONDS` it raises StoreBusy (503).
        """
        self._begin(write)
        try:
            if self._depth > 1:
                yield
                return
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
        finally:
            self._depth -= 1
            self._lock.release()

    def _begin(self, write: bool) -> None:
        """Hold the connection's lock and a transaction on it (joined if one is open)."""
        if write and self.read_only:
            raise StoreUnavailable(READ_ONLY.format(path=self.path))
        # Each try waits _BUSY_TIMEOUT_MS in SQLite's busy handler, then as long again with the
        # connection let go; counted in tries, not on a clock a test may have frozen.
        tries = max(1, math.ceil(policy.STORE_LOCK_WAIT_SECONDS * 1000 / (2 * _BUSY_TIMEOUT_MS)))
        while True:
            self._lock.acquire()
            if self._depth:
                self._depth += 1
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN DEFERRED")
            except sqlite3.OperationalError as error:
                self._lock.release()
                text = str(error)
                if "readonly" in text.replace(" ", "").replace("-", ""):
                    raise StoreUnavailable(READ_ONLY.format(path=self.path)) from None
                if "locked" not in text and "busy" not in text:
                    raise
                tries -= 1
                if tries <= 0:
                    raise StoreBusy(policy.Messages.STORE_BUSY.format(seconds=policy.STORE_LOCK_WAIT_SECONDS)) from None
                time.sleep(_BUSY_TIMEOUT_MS / 1000)  # let waiting reads have the connection
                continue
            except BaseException:
                self._lock.release()
                raise
            self._depth = 1
            return

    # -- the lookup memo ------------------------------------------------------------

    def _count_world_changes(self) -> None:
        """Temporary triggers (this connection only) count each changed row a lookup reads."""

        counter = self._world_changes  # not self: the connection must not keep the store alive

        def changed() -> None:
            counter[0] += 1

        self._conn.create_function("pantheon_world_changed", 0, changed)
        for table in _MEMOISED_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                self._conn.execute(
                    f"CREATE TEMP TRIGGER IF NOT EXISTS memo_{table}_{event.lower()} AFTER {event} ON main.{table} "
                    "BEGIN SELECT pantheon_world_changed(); END"
                )

    def _generation(self) -> tuple[int, int]:
        """Changes when a memoised lookup may: a row changed here, or a commit elsewhere."""
        elsewhere = self._conn.execute("PRAGMA data_version").fetchone()[0] if self._shared else 0
        return self._world_changes[0], elsewhere

    def _memoised(self, key: tuple[str, ...], load: Callable[[], T]) -> T:
        """``load()``, remembered until the world changes; never inside a transaction."""
        with self._lock:
            if self._depth:
                return load()
            size = _key_size(key)
            if size > _MEMO_KEY_MAX_CHARS:  # a huge token or ref: looked up, never remembered
                return load()
            generation = self._generation()
            if generation != self._memo_generation or self._memo_bytes >= _MEMO_MAX_BYTES:
                self._memo.clear()
                self._memo_bytes = 0
                self._memo_generation = generation
            value = self._memo.get(key, _MISSING)
            if value is _MISSING:
                value = self._memo[key] = load()
                self._memo_bytes += size + _MEMO_ENTRY_OVERHEAD
            return cast(T, value)

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._conn.execute(sql, params).fetchone()
            return row

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        with self.transaction():
            return self._conn.execute(sql, params).rowcount

    def clear(self) -> None:
        """Remove everything (the control plane's reset)."""
        with self.transaction():
            for table in _TABLES_CHILD_FIRST:
                self._conn.execute(f"DELETE FROM {table}")

    def is_empty(self) -> bool:
        return (
            self._one("SELECT 1 FROM users UNION ALL SELECT 1 FROM organizations UNION ALL SELECT 1 FROM sites LIMIT 1") is None
        )

    # -- users ----------------------------------------------------------------------

    def put_user(self, user: User) -> None:
        self._run(
            "INSERT INTO users (email, token) VALUES (?, ?) ON CONFLICT(email) DO UPDATE SET token = excluded.token",
            (user.email, user.token),
        )

    def user_by_token(self, token: str) -> User | None:
        return self._memoised(("user_by_token", token), lambda: self._user_by_token(token))

    def _user_by_token(self, token: str) -> User | None:
        row = self._one("SELECT email, token FROM users WHERE token = ?", (token,))
        return User(*row) if row else None

    def user(self, email: str) -> User | None:
        row = self._one("SELECT email, token FROM users WHERE email = ?", (email,))
        return User(*row) if row else None

    def users(self) -> list[User]:
        return [User(*row) for row in self._all("SELECT email, token FROM users ORDER BY rowid")]

    # -- organizations --------------------------------------------------------------

    def put_organization(self, org: Organization) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO organizations (id, name, label) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, label = excluded.label",
                (org.id, org.name, org.label),
            )
            self._conn.execute("DELETE FROM org_members WHERE org_id = ?", (org.id,))
            self._conn.executemany(
                "INSERT INTO org_members (org_id, email) VALUES (?, ?)", [(org.id, email) for email in org.members]
            )

    def organization(self, ref: str) -> Organization | None:
        """The organization whose id, name or label is ``ref`` (in that order of preference)."""
        return self._memoised(("organization", ref), lambda: self._organization_by_ref(ref))

    def _organization_by_ref(self, ref: str) -> Organization | None:
        label = self._label
        row = self._one(
            f"SELECT id, name, {label} FROM organizations WHERE id = ? OR name = ? OR {label} = ? "
            "ORDER BY id = ? DESC, name = ? DESC, rowid LIMIT 1",
            (ref, ref, ref, ref, ref),
        )
        return self._organization(row) if row else None

    def _organization(self, row: tuple[Any, ...]) -> Organization:
        members = tuple(r[0] for r in self._all("SELECT email FROM org_members WHERE org_id = ? ORDER BY rowid", (row[0],)))
        return Organization(id=row[0], name=row[1], members=members, label=row[2])

    def organizations(self) -> list[Organization]:
        return [self._organization(row) for row in self._all(f"SELECT id, name, {self._label} FROM organizations ORDER BY rowid")]

    def is_org_member(self, org_id: str, email: str) -> bool:
        return self._memoised(("is_org_member", org_id, email), lambda: self._is_org_member(org_id, email))

    def _is_org_member(self, org_id: str, email: str) -> bool:
        return self._one("SELECT 1 FROM org_members WHERE org_id = ? AND email = ?", (org_id, email)) is not None

    # -- sites ----------------------------------------------------------------------

    def put_site(self, site: Site) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO sites (id, name, owner_id, framework, runtime_token) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, owner_id = excluded.owner_id, "
                "framework = excluded.framework, runtime_token = excluded.runtime_token",
                (site.id, site.name, site.owner, site.framework, site.runtime_token),
            )
            for table in ("site_supporting", "site_members", "environments"):
                self._conn.execute(f"DELETE FROM {table} WHERE site_id = ?", (site.id,))
            self._conn.executemany(
                "INSERT INTO site_supporting (site_id, org_id) VALUES (?, ?)", [(site.id, o) for o in site.supporting]
            )
            self._conn.executemany(
                "INSERT INTO site_members (site_id, email) VALUES (?, ?)", [(site.id, e) for e in site.members]
            )
            self._conn.executemany(
                "INSERT INTO environments (site_id, name, php_version) VALUES (?, ?, ?)",
                [(site.id, env.name, env.php_version) for env in site.environments.values()],
            )

    _SITE_COLUMNS = "SELECT id, name, owner_id, framework, runtime_token FROM sites"

    def site(self, ref: str) -> Site | None:
        """The site whose id or name is ``ref``."""
        return self._memoised(("site", ref), lambda: self._site_by_ref(ref))

    def _site_by_ref(self, ref: str) -> Site | None:
        row = self._one(f"{self._SITE_COLUMNS} WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1", (ref, ref, ref))
        return self._site(row) if row else None

    def site_by_runtime_token(self, token: str) -> Site | None:
        row = self._one(f"{self._SITE_COLUMNS} WHERE runtime_token = ?", (token,))
        return self._site(row) if row else None

    def sites(self) -> list[Site]:
        return [self._site(row) for row in self._all(f"{self._SITE_COLUMNS} ORDER BY rowid")]

    def _site(self, row: tuple[Any, ...]) -> Site:
        site_id = row[0]
        supporting = tuple(
            r[0] for r in self._all("SELECT org_id FROM site_supporting WHERE site_id = ? ORDER BY rowid", (site_id,))
        )
        members = tuple(r[0] for r in self._all("SELECT email FROM site_members WHERE site_id = ? ORDER BY rowid", (site_id,)))
        envs = {
            name: Environment(name, php)
            for name, php in self._all("SELECT name, php_version FROM environments WHERE site_id = ? ORDER BY rowid", (site_id,))
        }
        return Site(
            id=site_id,
            name=row[1],
            owner=row[2],
            supporting=supporting,
            framework=row[3],
            members=members,
            runtime_token=row[4],
            environments=MappingProxyType(envs),
        )

    def put_environment(self, site_id: str, env: Environment) -> None:
        self._run(
            "INSERT INTO environments (site_id, name, php_version) VALUES (?, ?, ?) "
            "ON CONFLICT(site_id, name) DO UPDATE SET php_version = excluded.php_version",
            (site_id, env.name, env.php_version),
        )

    # -- secrets --------------------------------------------------------------------

    def secrets(self, kind: OwnerKind, owner_id: str) -> list[Secret]:
        """All secrets of one owner, in the order they were created."""
        with self._lock:
            overrides: dict[str, dict[str, str]] = {}
            for name, env, value in self._conn.execute(
                "SELECT name, env, value FROM overrides WHERE owner_kind = ? AND owner_id = ? ORDER BY rowid", (kind, owner_id)
            ):
                overrides.setdefault(name, {})[env] = value
            rows = self._conn.execute(
                "SELECT name, value, type, scopes FROM secrets WHERE owner_kind = ? AND owner_id = ? ORDER BY rowid",
                (kind, owner_id),
            ).fetchall()
        return [Secret(name, value, type_, _scopes_tuple(scopes), overrides.get(name, {})) for name, value, type_, scopes in rows]

    def secret(self, kind: OwnerKind, owner_id: str, name: str) -> Secret | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT value, type, scopes FROM secrets WHERE owner_kind = ? AND owner_id = ? AND name = ?",
                (kind, owner_id, name),
            ).fetchone()
            if row is None:
                return None
            overrides = dict(
                self._conn.execute(
                    "SELECT env, value FROM overrides WHERE owner_kind = ? AND owner_id = ? AND name = ? ORDER BY rowid",
                    (kind, owner_id, name),
                ).fetchall()
            )
        return Secret(name, row[0], row[1], _scopes_tuple(row[2]), overrides)

    def put_secret(self, kind: OwnerKind, owner_id: str, secret: Secret) -> None:
        """Create or replace a secret together with its overrides."""
        with self.transaction():
            self._conn.execute(
                "INSERT INTO secrets (owner_kind, owner_id, name, value, type, scopes) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(owner_kind, owner_id, name) DO UPDATE SET value = excluded.value, "
                "type = excluded.type, scopes = excluded.scopes",
                (kind, owner_id, secret.name, secret.value, secret.type, _scopes_text(secret.scopes)),
            )
            self._conn.execute(
                "DELETE FROM overrides WHERE owner_kind = ? AND owner_id = ? AND name = ?", (kind, owner_id, secret.name)
            )
            self._conn.executemany(
                "INSERT INTO overrides (owner_kind, owner_id, name, env, value) VALUES (?, ?, ?, ?, ?)",
                [(kind, owner_id, secret.name, env, value) for env, value in secret.overrides.items()],
            )

    def set_value(self, kind: OwnerKind, owner_id: str, name: str, value: str) -> bool:
        return (
            self._run(
                "UPDATE secrets SET value = ? WHERE owner_kind = ? AND owner_id = ? AND name = ?", (value, kind, owner_id, name)
            )
            > 0
        )

    def set_override(self, kind: OwnerKind, owner_id: str, name: str, env: str, value: str) -> None:
        self._run(
            "INSERT INTO overrides (owner_kind, owner_id, name, env, value) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(owner_kind, owner_id, name, env) DO UPDATE SET value = excluded.value",
            (kind, owner_id, name, env, value),
        )

    def delete_override(self, kind: OwnerKind, owner_id: str, name: str, env: str) -> bool:
        return (
            self._run(
                "DELETE FROM overrides WHERE owner_kind = ? AND owner_id = ? AND name = ? AND env = ?",
                (kind, owner_id, name, env),
            )
            > 0
        )

    def delete_secret(self, kind: OwnerKind, owner_id: str, name: str) -> bool:
        """Delete a secret and its overrides."""
        with self.transaction():
            self._conn.execute("DELETE FROM overrides WHERE owner_kind = ? AND owner_id = ? AND name = ?", (kind, owner_id, name))
            return (
                self._conn.execute(
                    "DELETE FROM secrets WHERE owner_kind = ? AND owner_id = ? AND name = ?", (kind, owner_id, name)
                ).rowcount
                > 0
            )

    def delete_secrets_of(self, kind: OwnerKind, owner_id: str) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM overrides WHERE owner_kind = ? AND owner_id = ?", (kind, owner_id))
            self._conn.execute("DELETE FROM secrets WHERE owner_kind = ? AND owner_id = ?", (kind, owner_id))
