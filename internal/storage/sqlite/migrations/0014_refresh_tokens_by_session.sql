-- Refresh tokens name their session ("<session id>.<secret>"), and the
-- table is keyed by (session_id, hash): a rotation's old and new token lie
-- in one leaf, and no separate session index is written, so the pages a
-- rotation dirties at random are two (the family's leaf and the session's
-- row) however many tokens the database holds, rather than four to five.
-- Rows go in in key order: copying a million takes half the time.
CREATE TABLE refresh_tokens_new (
	session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	hash       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	rotated_at INTEGER NOT NULL,
	PRIMARY KEY (session_id, hash)
) WITHOUT ROWID;

INSERT INTO refresh_tokens_new (session_id, hash, created_at, expires_at, rotated_at)
	SELECT session_id, hash, created_at, expires_at, rotated_at FROM refresh_tokens ORDER BY session_id, hash;

-- Tokens issued before name no session: this finds theirs by hash until
-- they expire (the successor of one names its session). No foreign key:
-- an entry of a deleted session finds no token, and goes at its expiry.
CREATE TABLE legacy_refresh_tokens (
	hash       TEXT PRIMARY KEY,
	session_id TEXT NOT NULL,
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO legacy_refresh_tokens (hash, session_id, expires_at)
	SELECT hash, session_id, expires_at FROM refresh_tokens;

CREATE INDEX legacy_refresh_tokens_expires_at ON legacy_refresh_tokens (expires_at);

DROP TABLE refresh_tokens;

ALTER TABLE refresh_tokens_new RENAME TO refresh_tokens;

CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);
