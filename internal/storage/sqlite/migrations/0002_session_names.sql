-- The label a client gives the login session it starts (token_name), kept
-- on the request until the session exists.
ALTER TABLE auth_requests ADD COLUMN session_name TEXT NOT NULL DEFAULT '';
ALTER TABLE device_auths ADD COLUMN session_name TEXT NOT NULL DEFAULT '';
