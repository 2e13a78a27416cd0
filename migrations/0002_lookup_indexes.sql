-- Indexes for retrieval by theme, source, person and actor: the queries behind the retrieve
-- view, the actor comparison and the document view's highlights.

CREATE INDEX codings_by_theme ON codings(theme_id);
CREATE INDEX codings_by_source ON codings(source_id, start_pos);
CREATE INDEX sources_by_person ON sources(person_id);
CREATE INDEX persons_by_actor ON persons(actor_id);
CREATE INDEX turns_by_source ON speaker_turns(source_id, start_pos);
CREATE INDEX memos_by_target ON memos(target_kind, target_id);
