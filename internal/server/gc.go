package server

import (
	"context"
	"time"
)

// CollectGarbage deletes expired codes, tokens, sessions and retired keys
// every GCInterval until ctx ends. Each pass is its own short transactions,
// so requests are never blocked for long.
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
