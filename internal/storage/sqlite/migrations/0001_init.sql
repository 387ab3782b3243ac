-- hubauth schema, version 1. Times are INTEGER Unix nanoseconds (0: unset);
-- string lists are JSON arrays in TEXT.

CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	email         TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	admin         INTEGER NOT NULL,
	disabled      INTEGER NOT NULL,
	created_at    INTEGER NOT NULL
);

CREATE TABLE groups (
	name       TEXT PRIMARY KEY,
	created_at INTEGER NOT NULL
);

CREATE TABLE group_members (
	group_name TEXT NOT NULL REFERENCES groups (name) ON DELETE CASCADE,
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (group_name, user_id)
) WITHOUT ROWID;

CREATE INDEX group_members_user_id ON group_members (user_id);

CREATE TABLE clients (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	secret_hash   TEXT NOT NULL,
	public        INTEGER NOT NULL,
	redirect_uris TEXT NOT NULL,
	grant_types   TEXT NOT NULL,
	first_party   INTEGER NOT NULL,
	disabled      INTEGER NOT NULL,
	created_at    INTEGER NOT NULL
);

CREATE TABLE signing_keys (
	id          TEXT PRIMARY KEY,
	algorithm   TEXT NOT NULL,
	private_pem BLOB,
	created_at  INTEGER NOT NULL,
	retired_at  INTEGER NOT NULL
);

CREATE TABLE auth_requests (
	id                    TEXT PRIMARY KEY,
	client_id             TEXT NOT NULL,
	redirect_uri          TEXT NOT NULL,
	scopes                TEXT NOT NULL,
	state                 TEXT NOT NULL,
	nonce                 TEXT NOT NULL,
	response_type         TEXT NOT NULL,
	response_mode         TEXT NOT NULL,
	code_challenge        TEXT NOT NULL,
	code_challenge_method TEXT NOT NULL,
	prompt                TEXT NOT NULL,
	max_age_seconds       INTEGER NOT NULL,
	login_hint            TEXT NOT NULL,
	user_id               TEXT NOT NULL,
	auth_time             INTEGER NOT NULL,
	amr                   TEXT NOT NULL,
	browser_session_id    TEXT NOT NULL,
	done                  INTEGER NOT NULL,
	code_hash             TEXT NOT NULL,
	code_used_at          INTEGER NOT NULL,
	issued_session_id     TEXT NOT NULL,
	issued_token_id       TEXT NOT NULL,
	created_at            INTEGER NOT NULL,
	expires_at            INTEGER NOT NULL
);

CREATE UNIQUE INDEX auth_requests_code_hash ON auth_requests (code_hash) WHERE code_hash <> '';
CREATE INDEX auth_requests_expires_at ON auth_requests (expires_at);

CREATE TABLE device_auths (
	device_code_hash TEXT PRIMARY KEY,
	user_code        TEXT NOT NULL UNIQUE,
	client_id        TEXT NOT NULL,
	scopes           TEXT NOT NULL,
	state            TEXT NOT NULL,
	user_id          TEXT NOT NULL,
	auth_time        INTEGER NOT NULL,
	amr              TEXT NOT NULL,
	created_at       INTEGER NOT NULL,
	expires_at       INTEGER NOT NULL
);

CREATE INDEX device_auths_expires_at ON device_auths (expires_at);

CREATE TABLE browser_sessions (
	id         TEXT PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id    TEXT NOT NULL,
	auth_time  INTEGER NOT NULL,
	amr        TEXT NOT NULL,
	address    TEXT NOT NULL,
	user_agent TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);

CREATE INDEX browser_sessions_expires_at ON browser_sessions (expires_at);

CREATE TABLE sessions (
	id                 TEXT PRIMARY KEY,
	user_id            TEXT NOT NULL,
	client_id          TEXT NOT NULL,
	method             TEXT NOT NULL,
	name               TEXT NOT NULL,
	address            TEXT NOT NULL,
	browser_session_id TEXT NOT NULL,
	scopes             TEXT NOT NULL,
	auth_time          INTEGER NOT NULL,
	amr                TEXT NOT NULL,
	created_at         INTEGER NOT NULL,
	last_used_at       INTEGER NOT NULL,
	expires_at         INTEGER NOT NULL,
	revoked_at         INTEGER NOT NULL
);

CREATE INDEX sessions_user_id ON sessions (user_id, created_at);
CREATE INDEX sessions_browser_session_id ON sessions (browser_session_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX sessions_revoked_at ON sessions (revoked_at) WHERE revoked_at <> 0;

CREATE TABLE refresh_tokens (
	hash       TEXT PRIMARY KEY,
	session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	rotated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);

CREATE TABLE revoked_access_tokens (
	id         TEXT PRIMARY KEY,
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX revoked_access_tokens_expires_at ON revoked_access_tokens (expires_at);

CREATE TABLE personal_tokens (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL,
	name         TEXT NOT NULL,
	hash         TEXT NOT NULL UNIQUE,
	scopes       TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL,
	UNIQUE (user_id, name)
);

CREATE INDEX personal_tokens_expires_at ON personal_tokens (expires_at) WHERE expires_at <> 0;

CREATE TABLE audit_events (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	time      INTEGER NOT NULL,
	type      TEXT NOT NULL,
	user_id   TEXT NOT NULL,
	client_id TEXT NOT NULL,
	address   TEXT NOT NULL,
	detail    TEXT NOT NULL
);

CREATE INDEX audit_events_time ON audit_events (time);
