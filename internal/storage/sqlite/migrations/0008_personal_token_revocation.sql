-- Personal tokens get a description and are revoked rather than deleted: a
-- revoked token stays listed (NOMAD's PAT API shows it as revoked) until
-- garbage collection a day later. A name is unique among a user's tokens
-- that are not revoked, so the table is rebuilt without its UNIQUE
-- (user_id, name), which SQLite cannot drop.
CREATE TABLE personal_tokens_new (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL,
	name         TEXT NOT NULL,
	description  TEXT NOT NULL DEFAULT '',
	hash         TEXT NOT NULL UNIQUE,
	scopes       TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL,
	revoked_at   INTEGER NOT NULL DEFAULT 0
);

INSERT INTO personal_tokens_new (id, user_id, name, hash, scopes, created_at, expires_at, last_used_at)
	SELECT id, user_id, name, hash, scopes, created_at, expires_at, last_used_at FROM personal_tokens;

DROP TABLE personal_tokens;

ALTER TABLE personal_tokens_new RENAME TO personal_tokens;

CREATE UNIQUE INDEX personal_tokens_live_name ON personal_tokens (user_id, name) WHERE revoked_at = 0;

CREATE INDEX personal_tokens_user_id ON personal_tokens (user_id, created_at);

CREATE INDEX personal_tokens_expires_at ON personal_tokens (expires_at) WHERE expires_at <> 0;

CREATE INDEX personal_tokens_revoked_at ON personal_tokens (revoked_at) WHERE revoked_at <> 0;
