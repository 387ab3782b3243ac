-- Personal tokens get a description and are revoked rather than deleted: a
-- revoked token stays listed (NOMAD's PAT API shows it as revoked) until
-- garbage collection a day later. A name is unique among a user's tokens
-- that are not revoked.
ALTER TABLE personal_tokens ADD COLUMN description text NOT NULL DEFAULT '';

ALTER TABLE personal_tokens ADD COLUMN revoked_at bigint NOT NULL DEFAULT 0;

ALTER TABLE personal_tokens DROP CONSTRAINT personal_tokens_user_id_name_key;

CREATE UNIQUE INDEX personal_tokens_live_name ON personal_tokens (user_id, name) WHERE revoked_at = 0;

CREATE INDEX personal_tokens_user_id ON personal_tokens (user_id, created_at);

CREATE INDEX personal_tokens_revoked_at ON personal_tokens (revoked_at) WHERE revoked_at <> 0;
