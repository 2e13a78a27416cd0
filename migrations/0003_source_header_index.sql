-- A covering index of every source column but the text: queries that join sources for their
-- title, kind or person (every excerpt list) read it instead of rows whose long text spills
-- over many pages, and the texts are then read once per source.

CREATE INDEX sources_header ON sources(id, kind, title, person_id, char_len);
