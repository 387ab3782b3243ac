-- Second factors. user_totp holds a user's authenticator app: its seed in
-- clear (like signing keys; the database file is the owner's only), the
-- last time step accepted (codes are good once) and confirmed_at (0 while
-- the enrolment waits for its first code). recovery_codes holds the
-- SHA-256 of unused recovery codes. mfa_logins holds the sign-ins waiting
-- for their second factor, found by the SHA-256 of the cookie's secret.
CREATE TABLE user_totp (
    user_id      text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       text NOT NULL,
    last_step    bigint NOT NULL,
    created_at   bigint NOT NULL,
    confirmed_at bigint NOT NULL
);

CREATE TABLE recovery_codes (
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash       text NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (user_id, hash)
);

CREATE TABLE mfa_logins (
    token_hash      text PRIMARY KEY,
    user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amr             text[] NOT NULL,
    auth_time       bigint NOT NULL,
    auth_request_id text NOT NULL,
    user_code       text NOT NULL,
    next            text NOT NULL,
    created_at      bigint NOT NULL,
    expires_at      bigint NOT NULL
);

CREATE INDEX mfa_logins_expires_at ON mfa_logins (expires_at);

-- The acr_values an authorization request asked for.
ALTER TABLE auth_requests ADD COLUMN acr_values text[] NOT NULL DEFAULT '{}';
