package compat

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/storage"
)

// appToken issues a personal token valid expires_in seconds to the bearer
// (NOMAD's /auth/app_token). The body carries it as both access_token and
// app_token, as NOMAD's clients read either.
func (h *Handler) appToken(w http.ResponseWriter, r *http.Request) {
	p, ok := jsonapi.Authenticate(h.cfg.Bearer, h.cfg.Logger, w, r)
	if !ok {
		return
	}
	seconds, err := h.expiresIn(r)
	if err != nil {
		jsonapi.WriteError(w, r, h.cfg.Logger, err)
		return
	}
	if p.Subject == p.ClientID {
		jsonapi.WriteError(w, r, h.cfg.Logger, jsonapi.Errorf(http.StatusForbidden, "access_denied", "service accounts cannot create app tokens"))
		return
	}
	now := h.cfg.Now()
	name := "app token " + now.UTC().Format("2006-01-02 15:04:05") + " " + secret.ID()[:6]
	token, pt, err := bearer.NewPersonalToken(r.Context(), h.cfg.Store, p.Subject, name, p.Scopes, time.Duration(seconds)*time.Second, now)
	if err != nil {
		jsonapi.WriteError(w, r, h.cfg.Logger, err)
		return
	}
	h.cfg.Store.AppendAudit(r.Context(), storage.AuditEvent{Time: now.UTC(), Type: "token_created", UserID: p.Subject,
		Detail: "app token " + pt.ID + " via /api/v1/auth/app_token"})
	jsonapi.Write(w, http.StatusOK, map[string]any{
		"access_token": token, "app_token": token, "token_type": "bearer", "expires_in": seconds,
	})
}

// expiresIn reads expires_in: one integer, 1 ≤ N ≤ the configured maximum.
func (h *Handler) expiresIn(r *http.Request) (int64, error) {
	max := int64(h.cfg.AppTokenMax / time.Second)
	vs := r.URL.Query()["expires_in"]
	if len(vs) != 1 {
		return 0, jsonapi.Errorf(http.StatusUnprocessableEntity, "invalid_request", "expires_in is required once: the lifetime in seconds, 1 to "+strconv.FormatInt(max, 10))
	}
	n, err := strconv.ParseInt(vs[0], 10, 64)
	if err != nil || n < 1 || n > max {
		return 0, jsonapi.Errorf(http.StatusUnprocessableEntity, "invalid_request", "expires_in must be an integer from 1 to "+strconv.FormatInt(max, 10)+" seconds")
	}
	return n, nil
}
