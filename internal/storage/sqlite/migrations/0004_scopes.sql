-- Scopes an operator registered for the platform's own APIs (hubauth admin
-- scope add). The hub's built-in scopes are not stored.
CREATE TABLE scopes (
    name        TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
