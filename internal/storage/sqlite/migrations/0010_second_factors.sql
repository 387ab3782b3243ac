-- Second factors. user_totp holds a user's authenticator app: its seed in
-- clear (like signing keys; the database file is the owner's only), the
-- last time step accepted (codes are good once) and confirmed_at (0 while
-- the enrolment waits for its first code). recovery_codes holds the
-- SHA-256 of unused recovery codes. mfa_logins holds the sign-ins waiting
-- for their second factor, found by the SHA-256 of the cookie's secret.
CREATE TABLE user_totp (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    last_step    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    confirmed_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, hash)
) WITHOUT ROWID;

CREATE TABLE mfa_logins (
    token_hash      TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amr             TEXT NOT NULL,
    auth_time       INTEGER NOT NULL,
    auth_request_id TEXT NOT NULL,
    user_code       TEXT NOT NULL,
    next            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX mfa_logins_expires_at ON mfa_logins (expires_at);

-- The acr_values an authorization request asked for (a JSON list).
ALTER TABLE auth_requests ADD COLUMN acr_values TEXT NOT NULL DEFAULT '[]';
