-- Passkeys (WebAuthn credentials): credential_id is the authenticator's
-- id (unique across users), public_key the COSE key, sign_count the last
-- signature counter seen (a lower one may be a clone), transports a JSON
-- list, the flags those of the authenticator data. passkey_ceremonies
-- holds the challenges under way (go-webauthn's session data as JSON),
-- found by the SHA-256 of the browser cookie's secret; each is consumed
-- once.
CREATE TABLE passkeys (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id    BLOB NOT NULL UNIQUE,
    public_key       BLOB NOT NULL,
    attestation_type TEXT NOT NULL,
    transports       TEXT NOT NULL,
    aaguid           BLOB NOT NULL,
    sign_count       INTEGER NOT NULL,
    user_verified    INTEGER NOT NULL,
    backup_eligible  INTEGER NOT NULL,
    backup_state     INTEGER NOT NULL,
    name             TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    last_used_at     INTEGER NOT NULL
);

CREATE INDEX passkeys_user_id ON passkeys (user_id);

CREATE TABLE passkey_ceremonies (
    token_hash TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    owner      TEXT NOT NULL,
    name       TEXT NOT NULL,
    session    BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX passkey_ceremonies_expires_at ON passkey_ceremonies (expires_at);
