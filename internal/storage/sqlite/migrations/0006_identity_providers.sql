-- Upstream OpenID Connect providers (hubauth admin idp add). client_secret
-- is the hub's secret at the upstream, in clear because the hub sends it
-- there: like signing_keys.private_pem it relies on the database file being
-- readable by its owner only.
CREATE TABLE identity_providers (
    name                TEXT PRIMARY KEY,
    issuer              TEXT NOT NULL,
    client_id           TEXT NOT NULL,
    client_secret       TEXT NOT NULL,
    display_name        TEXT NOT NULL,
    scopes              TEXT NOT NULL,
    username_claim      TEXT NOT NULL,
    groups_claim        TEXT NOT NULL,
    groups_prefix       TEXT NOT NULL,
    provision           TEXT NOT NULL,
    link_verified_email INTEGER NOT NULL,
    disabled            INTEGER NOT NULL,
    created_at          INTEGER NOT NULL
);
