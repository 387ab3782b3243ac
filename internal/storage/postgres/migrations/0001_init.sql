-- hubauth schema for PostgreSQL, version 1. The same logical schema as the
-- SQLite backend's (its migrations 0001 and 0002). Times are bigint Unix
-- nanoseconds (0: unset), as in SQLite, so that both backends compare and
-- round times alike; string lists are text[] (never NULL: '{}' when empty).

CREATE TABLE users (
	id            text PRIMARY KEY,
	username      text NOT NULL UNIQUE,
	name          text NOT NULL,
	email         text NOT NULL,
	password_hash text NOT NULL,
	admin         boolean NOT NULL,
	disabled      boolean NOT NULL,
	created_at    bigint NOT NULL
);

CREATE TABLE groups (
	name       text PRIMARY KEY,
	created_at bigint NOT NULL
);

CREATE TABLE group_members (
	group_name text NOT NULL REFERENCES groups (name) ON DELETE CASCADE,
	user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (group_name, user_id)
);

CREATE INDEX group_members_user_id ON group_members (user_id);

CREATE TABLE clients (
	id            text PRIMARY KEY,
	name          text NOT NULL,
	secret_hash   text NOT NULL,
	public        boolean NOT NULL,
	redirect_uris text[] NOT NULL,
	grant_types   text[] NOT NULL,
	first_party   boolean NOT NULL,
	disabled      boolean NOT NULL,
	created_at    bigint NOT NULL
);

CREATE TABLE signing_keys (
	id          text PRIMARY KEY,
	algorithm   text NOT NULL,
	private_pem bytea,
	created_at  bigint NOT NULL,
	retired_at  bigint NOT NULL
);

CREATE TABLE auth_requests (
	id                    text PRIMARY KEY,
	client_id             text NOT NULL,
	redirect_uri          text NOT NULL,
	scopes                text[] NOT NULL,
	state                 text NOT NULL,
	nonce                 text NOT NULL,
	response_type         text NOT NULL,
	response_mode         text NOT NULL,
	code_challenge        text NOT NULL,
	code_challenge_method text NOT NULL,
	prompt                text[] NOT NULL,
	max_age_seconds       bigint NOT NULL,
	login_hint            text NOT NULL,
	user_id               text NOT NULL,
	auth_time             bigint NOT NULL,
	amr                   text[] NOT NULL,
	browser_session_id    text NOT NULL,
	done                  boolean NOT NULL,
	code_hash             text NOT NULL,
	code_used_at          bigint NOT NULL,
	issued_session_id     text NOT NULL,
	issued_token_id       text NOT NULL,
	created_at            bigint NOT NULL,
	expires_at            bigint NOT NULL,
	session_name          text NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX auth_requests_code_hash ON auth_requests (code_hash) WHERE code_hash <> '';
CREATE INDEX auth_requests_expires_at ON auth_requests (expires_at);

CREATE TABLE device_auths (
	device_code_hash text PRIMARY KEY,
	user_code        text NOT NULL UNIQUE,
	client_id        text NOT NULL,
	scopes           text[] NOT NULL,
	state            text NOT NULL,
	user_id          text NOT NULL,
	auth_time        bigint NOT NULL,
	amr              text[] NOT NULL,
	created_at       bigint NOT NULL,
	expires_at       bigint NOT NULL,
	session_name     text NOT NULL DEFAULT ''
);

CREATE INDEX device_auths_expires_at ON device_auths (expires_at);

CREATE TABLE browser_sessions (
	id         text PRIMARY KEY,
	token_hash text NOT NULL UNIQUE,
	user_id    text NOT NULL,
	auth_time  bigint NOT NULL,
	amr        text[] NOT NULL,
	address    text NOT NULL,
	user_agent text NOT NULL,
	created_at bigint NOT NULL,
	expires_at bigint NOT NULL
);

CREATE INDEX browser_sessions_expires_at ON browser_sessions (expires_at);

CREATE TABLE sessions (
	id                 text PRIMARY KEY,
	user_id            text NOT NULL,
	client_id          text NOT NULL,
	method             text NOT NULL,
	name               text NOT NULL,
	address            text NOT NULL,
	browser_session_id text NOT NULL,
	scopes             text[] NOT NULL,
	auth_time          bigint NOT NULL,
	amr                text[] NOT NULL,
	created_at         bigint NOT NULL,
	last_used_at       bigint NOT NULL,
	expires_at         bigint NOT NULL,
	revoked_at         bigint NOT NULL
);

CREATE INDEX sessions_user_id ON sessions (user_id, created_at);
CREATE INDEX sessions_browser_session_id ON sessions (browser_session_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX sessions_revoked_at ON sessions (revoked_at) WHERE revoked_at <> 0;

CREATE TABLE refresh_tokens (
	hash       text PRIMARY KEY,
	session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	created_at bigint NOT NULL,
	expires_at bigint NOT NULL,
	rotated_at bigint NOT NULL
);

CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);

CREATE TABLE revoked_access_tokens (
	id         text PRIMARY KEY,
	expires_at bigint NOT NULL
);

CREATE INDEX revoked_access_tokens_expires_at ON revoked_access_tokens (expires_at);

CREATE TABLE personal_tokens (
	id           text PRIMARY KEY,
	user_id      text NOT NULL,
	name         text NOT NULL,
	hash         text NOT NULL UNIQUE,
	scopes       text[] NOT NULL,
	created_at   bigint NOT NULL,
	expires_at   bigint NOT NULL,
	last_used_at bigint NOT NULL,
	UNIQUE (user_id, name)
);

CREATE INDEX personal_tokens_expires_at ON personal_tokens (expires_at) WHERE expires_at <> 0;

CREATE TABLE audit_events (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	time      bigint NOT NULL,
	type      text NOT NULL,
	user_id   text NOT NULL,
	client_id text NOT NULL,
	address   text NOT NULL,
	detail    text NOT NULL
);

CREATE INDEX audit_events_time ON audit_events (time);
