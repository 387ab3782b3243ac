-- Upstream sign-in. user_identities links an upstream identity (provider,
-- subject) to the hub user it signs in as; it goes with its provider and
-- with its user. upstream_logins holds the sign-ins under way at an
-- upstream, found by the SHA-256 of the state sent there: no secret.
CREATE TABLE user_identities (
    provider      TEXT NOT NULL REFERENCES identity_providers (name) ON DELETE CASCADE,
    subject       TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    last_login_at INTEGER NOT NULL,
    PRIMARY KEY (provider, subject)
) WITHOUT ROWID;

CREATE INDEX user_identities_user_id ON user_identities (user_id);

CREATE TABLE upstream_logins (
    state_hash      TEXT PRIMARY KEY,
    provider        TEXT NOT NULL,
    auth_request_id TEXT NOT NULL,
    user_code       TEXT NOT NULL,
    next            TEXT NOT NULL,
    link_user_id    TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX upstream_logins_expires_at ON upstream_logins (expires_at);
