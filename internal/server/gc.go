package server

import (
	"context"
	"time"
)

// gcLease is the database lease that lets one node at a time collect.
const gcLease = "gc"

// CollectGarbage deletes expired codes, tokens, sessions and retired keys
// every GCInterval until ctx ends. Each pass is its own short transactions,
// so requests are never blocked for long. Of several nodes on one database
// only the holder of the "gc" lease collects; it renews the lease at each
// pass, and when it stops another node takes over within two intervals.
func (s *Server) CollectGarbage(ctx context.Context) {
	t := time.NewTicker(s.cfg.GCInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.collectOnce(ctx)
		}
	}
}

func (s *Server) collectOnce(ctx context.Context) {
	now := s.cfg.Now().UTC()
	mine, err := s.cfg.Store.AcquireLease(ctx, gcLease, s.holder, now, 2*s.cfg.GCInterval)
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "garbage collection lease failed", "err", err)
		return
	}
	if !mine {
		return // another node collects
	}
	res, err := s.cfg.Store.GarbageCollect(ctx, now)
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "garbage collection failed", "err", err)
		return
	}
	// Retired keys are published until their last token expires; keep a day
	// of margin for clocks and caches.
	if err := s.cfg.Store.DeleteSigningKeysRetiredBefore(ctx, now.Add(-s.cfg.AccessTokenTTL-24*time.Hour)); err != nil {
		s.cfg.Logger.WarnContext(ctx, "delete retired keys failed", "err", err)
	}
	s.cfg.Logger.DebugContext(ctx, "garbage collected", "auth_requests", res.AuthRequests, "device_codes", res.DeviceAuths,
		"sessions", res.Sessions, "refresh_tokens", res.RefreshTokens, "personal_tokens", res.PersonalTokens)
}
