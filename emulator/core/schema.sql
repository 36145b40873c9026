-- The emulator's store. Secrets belong to a site or an organization (owner_kind 'site'
-- or 'org'); a site secret with a NULL value holds only environment overrides.
PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
    email TEXT PRIMARY KEY,
    token TEXT NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS organizations (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE,
    label TEXT  -- the display name; NULL (a store of schema version 1) means the name
);

CREATE TABLE IF NOT EXISTS org_members (
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email  TEXT NOT NULL REFERENCES users(email) ON DELETE CASCADE,
    PRIMARY KEY (org_id, email)
);

CREATE TABLE IF NOT EXISTS sites (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    owner_id      TEXT REFERENCES organizations(id) ON DELETE SET NULL,
    framework     TEXT NOT NULL,
    runtime_token TEXT NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS site_supporting (
    site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    org_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    PRIMARY KEY (site_id, org_id)
);

CREATE TABLE IF NOT EXISTS site_members (
    site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    email   TEXT NOT NULL REFERENCES users(email) ON DELETE CASCADE,
    PRIMARY KEY (site_id, email)
);

CREATE TABLE IF NOT EXISTS environments (
    site_id     TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    php_version TEXT NOT NULL,
    PRIMARY KEY (site_id, name)
);

CREATE TABLE IF NOT EXISTS secrets (
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('site', 'org')),
    owner_id   TEXT NOT NULL,
    name       TEXT NOT NULL,
    value      TEXT,
    type       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    PRIMARY KEY (owner_kind, owner_id, name)
);

CREATE TABLE IF NOT EXISTS overrides (
    owner_kind TEXT NOT NULL,
    owner_id   TEXT NOT NULL,
    name       TEXT NOT NULL,
    env        TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (owner_kind, owner_id, name, env),
    FOREIGN KEY (owner_kind, owner_id, name)
        REFERENCES secrets(owner_kind, owner_id, name) ON DELETE CASCADE
);
