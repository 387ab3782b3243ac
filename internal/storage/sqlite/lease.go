package sqlite

import (
	"context"
	"time"
)

// AcquireLease takes or renews the lease name for holder until now+ttl, in
// one statement: the insert or the update of a row that is free, expired or
// holder's own. No row changed means another holder has it.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	n, err := s.exec(ctx, "acquire lease", `INSERT INTO leases (name, holder, expires_at) VALUES (?1, ?2, ?3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at <= ?4`,
		name, holder, nanos(now.Add(ttl)), nanos(now))
	return n == 1, err
}
