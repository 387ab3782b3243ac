-- Codes checked against a sign-in waiting for its second factor, and
-- against an authenticator set-up, are counted before they are checked
-- (storage.MaxCodeAttempts). owner binds a set-up to the browser session
-- (or the waiting sign-in) that started it: only it sees the key and
-- confirms it. step_up_of is the browser session a sign-in steps up: it
-- ends when the second factor passed.
ALTER TABLE mfa_logins ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_totp ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_totp ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE mfa_logins ADD COLUMN step_up_of TEXT NOT NULL DEFAULT '';
