package server

import (
	"context"
	"time"
)

// usesFlushEvery is how often the server writes the personal-token uses
// whose bearer.LastUseEvery window has passed.
const usesFlushEvery = time.Second

// startUses starts the loop that writes personal-token uses held in
// memory (bearer.Verifier.FlushDueUses); Close stops it and writes the
// rest.
func (s *Server) startUses() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopUses, s.usesDone = cancel, make(chan struct{})
	go func() {
		defer close(s.usesDone)
		t := time.NewTicker(usesFlushEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := s.bearer.FlushDueUses(ctx); err != nil && ctx.Err() == nil {
					s.cfg.Logger.WarnContext(ctx, "write personal tokens' last use", "err", err)
				}
			}
		}
	}()
}
