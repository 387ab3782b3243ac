-- Upstream sign-in. user_identities links an upstream identity (provider,
-- subject) to the hub user it signs in as; it goes with its provider and
-- with its user. upstream_logins holds the sign-ins under way at an
-- upstream, found by the SHA-256 of the state sent there: no secret.
CREATE TABLE user_identities (
    provider      text NOT NULL REFERENCES identity_providers (name) ON DELETE CASCADE,
    subject       text NOT NULL,
    user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    bigint NOT NULL,
    last_login_at bigint NOT NULL,
    PRIMARY KEY (provider, subject)
);

CREATE INDEX user_identities_user_id ON user_identities (user_id);

CREATE TABLE upstream_logins (
    state_hash      text PRIMARY KEY,
    provider        text NOT NULL,
    auth_request_id text NOT NULL,
    user_code       text NOT NULL,
    next            text NOT NULL,
    link_user_id    text NOT NULL,
    created_at      bigint NOT NULL,
    expires_at      bigint NOT NULL
);

CREATE INDEX upstream_logins_expires_at ON upstream_logins (expires_at);
