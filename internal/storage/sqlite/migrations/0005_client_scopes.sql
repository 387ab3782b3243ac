-- Scopes per client (hubauth admin client add --scopes, client set-scopes).
-- A client with restrict_scopes = 0 may ask for every scope the hub grants:
-- the clients registered before this migration keep working as they did
-- until an operator restricts them, and so does the built-in hubauth-cli.
ALTER TABLE clients ADD COLUMN allowed_scopes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE clients ADD COLUMN restrict_scopes INTEGER NOT NULL DEFAULT 0;
