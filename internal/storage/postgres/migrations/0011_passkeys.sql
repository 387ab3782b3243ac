-- Passkeys (WebAuthn credentials): credential_id is the authenticator's
-- id (unique across users), public_key the COSE key, sign_count the last
-- signature counter seen (a lower one may be a clone), the flags those of
-- the authenticator data. passkey_ceremonies holds the challenges under
-- way (go-webauthn's session data as JSON), found by the SHA-256 of the
-- browser cookie's secret, so any node finishes them; each is consumed
-- once.
CREATE TABLE passkeys (
    id               text PRIMARY KEY,
    user_id          text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id    bytea NOT NULL UNIQUE,
    public_key       bytea NOT NULL,
    attestation_type text NOT NULL,
    transports       text[] NOT NULL,
    aaguid           bytea NOT NULL,
    sign_count       bigint NOT NULL,
    user_verified    boolean NOT NULL,
    backup_eligible  boolean NOT NULL,
    backup_state     boolean NOT NULL,
    name             text NOT NULL,
    created_at       bigint NOT NULL,
    last_used_at     bigint NOT NULL
);

CREATE INDEX passkeys_user_id ON passkeys (user_id);

CREATE TABLE passkey_ceremonies (
    token_hash text PRIMARY KEY,
    kind       text NOT NULL,
    user_id    text NOT NULL,
    owner      text NOT NULL,
    name       text NOT NULL,
    session    bytea NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
);

CREATE INDEX passkey_ceremonies_expires_at ON passkey_ceremonies (expires_at);
