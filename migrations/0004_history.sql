-- The undo and redo history, kept in the project: undo works after a restart and takes back
-- the last change whichever process made it. Each entry holds the whole command as JSON (with
-- source texts, which a removal needs to put back); the top of a stack is its highest position.

CREATE TABLE undo_stack (
    position INTEGER PRIMARY KEY,
    summary  TEXT NOT NULL,
    command  TEXT NOT NULL
);

CREATE TABLE redo_stack (
    position INTEGER PRIMARY KEY,
    summary  TEXT NOT NULL,
    command  TEXT NOT NULL
);

-- Who made each change, for `sitat history`.
ALTER TABLE audit_log ADD COLUMN coder TEXT NOT NULL DEFAULT '';
