-- Sitat project schema, version 1. Offsets (start_pos, end_pos) are Unicode code points.

CREATE TABLE project_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE coders (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE actors (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL DEFAULT ''
);

-- Typed attributes (REFI-QDA variables): value kept as text, value_type says how to read it.
CREATE TABLE actor_attributes (
    actor_id   INTEGER NOT NULL REFERENCES actors(id),
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    value_type TEXT NOT NULL CHECK (value_type IN ('text', 'integer', 'float', 'boolean', 'date')),
    value      TEXT NOT NULL,
    PRIMARY KEY (actor_id, name)
);

CREATE TABLE persons (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    title    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sources (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('interview', 'literature', 'reference', 'note')),
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    char_len   INTEGER NOT NULL,
    person_id  INTEGER REFERENCES persons(id),
    metadata   TEXT NOT NULL DEFAULT '[]',  -- JSON array of [key, value] pairs
    created_at INTEGER NOT NULL             -- unix milliseconds
);

-- A span of a source spoken by one person; refines the source's own attribution.
CREATE TABLE speaker_turns (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    start_pos INTEGER NOT NULL,
    end_pos   INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    CHECK (start_pos >= 0 AND end_pos > start_pos)
);

CREATE TABLE themes (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    parent_id      INTEGER REFERENCES themes(id),
    color          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    pole_negative  TEXT,
    pole_positive  TEXT,
    sort_order     INTEGER NOT NULL DEFAULT 0,
    CHECK ((pole_negative IS NULL) = (pole_positive IS NULL))
);
CREATE UNIQUE INDEX themes_name ON themes(name COLLATE NOCASE);

CREATE TABLE codings (
    id         INTEGER PRIMARY KEY,
    source_id  INTEGER NOT NULL REFERENCES sources(id),
    theme_id   INTEGER NOT NULL REFERENCES themes(id),
    coder_id   INTEGER NOT NULL REFERENCES coders(id),
    start_pos  INTEGER NOT NULL,
    end_pos    INTEGER NOT NULL,
    stance     INTEGER CHECK (stance BETWEEN -2 AND 2),
    memo       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    CHECK (start_pos >= 0 AND end_pos > start_pos)
);

CREATE TABLE memos (
    id          INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'source', 'theme', 'coding')),
    target_id   INTEGER,
    title       TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- One row per change, undo and redo: what was done, when, and the command itself as JSON.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    action  TEXT NOT NULL CHECK (action IN ('do', 'undo', 'redo')),
    kind    TEXT NOT NULL,
    summary TEXT NOT NULL,
    command TEXT NOT NULL
);
