-- APIs (resource servers) registered at the hub (hubauth admin api add): a
-- token for one carries its URI as audience (RFC 8707). An API owns
-- registered scopes, each scope at most one API's (api_scopes.scope is the
-- key); removing the API or the scope removes the ownership.
CREATE TABLE apis (
    id         TEXT PRIMARY KEY,
    uri        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE api_scopes (
    scope  TEXT PRIMARY KEY REFERENCES scopes (name) ON DELETE CASCADE,
    api_id TEXT NOT NULL REFERENCES apis (id) ON DELETE CASCADE
);
CREATE INDEX api_scopes_api ON api_scopes (api_id);
-- The resources (API URIs, a JSON array) an authorization, a device
-- authorization and a login session cover: every token of the grant is
-- for one of them.
ALTER TABLE auth_requests ADD COLUMN resources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE device_auths ADD COLUMN resources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sessions ADD COLUMN resources TEXT NOT NULL DEFAULT '[]';
-- A session a token exchange (RFC 8693) started names the session it came
-- from (parent_id; revoking that one revokes it) and the clients acting for
-- the user, innermost first (actors, a JSON array).
ALTER TABLE sessions ADD COLUMN parent_id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN actors TEXT NOT NULL DEFAULT '[]';
CREATE INDEX sessions_parent ON sessions (parent_id) WHERE parent_id <> '';
-- The API URIs a client allowed the token-exchange grant may exchange a
-- user's token for (a JSON array).
ALTER TABLE clients ADD COLUMN exchange_audiences TEXT NOT NULL DEFAULT '[]';
