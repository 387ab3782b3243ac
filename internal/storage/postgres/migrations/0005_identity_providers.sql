-- Upstream OpenID Connect providers (hubauth admin idp add). client_secret
-- is the hub's secret at the upstream, in clear because the hub sends it
-- there: like signing_keys.private_pem it relies on the database being
-- readable by the hub's role only.
CREATE TABLE identity_providers (
    name                text PRIMARY KEY,
    issuer              text NOT NULL,
    client_id           text NOT NULL,
    client_secret       text NOT NULL,
    display_name        text NOT NULL,
    scopes              text[] NOT NULL,
    username_claim      text NOT NULL,
    groups_claim        text NOT NULL,
    groups_prefix       text NOT NULL,
    provision           text NOT NULL,
    link_verified_email boolean NOT NULL,
    disabled            boolean NOT NULL,
    created_at          bigint NOT NULL
);
