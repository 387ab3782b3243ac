-- Users get email_verified: only a verified address links an upstream
-- identity by e-mail (--link-verified-email). Addresses already stored
-- count as verified when an administrator set them (the user has no
-- upstream identity); those of users with identities may have come from an
-- upstream that did not verify them, so they do not. lower(email) is
-- indexed for GetUsersByEmail.
ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;

UPDATE users SET email_verified = true
	WHERE email <> '' AND NOT EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = users.id);

CREATE INDEX users_email_lower ON users (lower(email)) WHERE email <> '';

-- A sign-in under way at an upstream carries the hub's request's
-- prompt=login and max_age.
ALTER TABLE upstream_logins ADD COLUMN force_login boolean NOT NULL DEFAULT false;

ALTER TABLE upstream_logins ADD COLUMN max_age bigint NOT NULL DEFAULT 0;
