-- APIs (resource servers) registered at the hub (hubauth admin api add): a
-- token for one carries its URI as audience (RFC 8707). An API owns
-- registered scopes, each scope at most one API's (api_scopes.scope is the
-- key); removing the API or the scope removes the ownership.
CREATE TABLE apis (
    id         text PRIMARY KEY,
    uri        text NOT NULL UNIQUE,
    name       text NOT NULL,
    created_at bigint NOT NULL
);
CREATE TABLE api_scopes (
    scope  text PRIMARY KEY REFERENCES scopes (name) ON DELETE CASCADE,
    api_id text NOT NULL REFERENCES apis (id) ON DELETE CASCADE
);
CREATE INDEX api_scopes_api ON api_scopes (api_id);
-- The resources (API URIs) an authorization, a device authorization and a
-- login session cover: every token of the grant is for one of them.
ALTER TABLE auth_requests ADD COLUMN resources text[] NOT NULL DEFAULT '{}';
ALTER TABLE device_auths ADD COLUMN resources text[] NOT NULL DEFAULT '{}';
ALTER TABLE sessions ADD COLUMN resources text[] NOT NULL DEFAULT '{}';
-- A session a token exchange (RFC 8693) started names the session it came
-- from (parent_id; revoking that one revokes it) and the clients acting for
-- the user, innermost first (actors).
ALTER TABLE sessions ADD COLUMN parent_id text NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN actors text[] NOT NULL DEFAULT '{}';
CREATE INDEX sessions_parent ON sessions (parent_id) WHERE parent_id <> '';
-- The API URIs a client allowed the token-exchange grant may exchange a
-- user's token for.
ALTER TABLE clients ADD COLUMN exchange_audiences text[] NOT NULL DEFAULT '{}';
