package pages

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/server/routes"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/server/upstream"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/web"
)

// Config is what the pages need.
type Config struct {
	Store    storage.Storage
	Provider *provider.Provider
	// Scopes is the scopes the hub grants, for the consent, device and
	// account pages.
	Scopes *scopes.Catalog
	Authn  *authn.Authenticator
	// SecureCookies sets the Secure attribute (https issuers).
	SecureCookies bool
	// SessionTTL is the hub session's lifetime; default 24h.
	SessionTTL time.Duration
	// Issuer issues the account page's personal tokens; its Policy is what
	// the new-token form offers: lifetimes up to the maximum and "never"
	// where the operator allows it. Required for the account page.
	Issuer *account.Issuer
	// CodeEntry limits user-code entry per address; CodeEntryTotal in total.
	CodeEntry      *throttle.Keyed
	CodeEntryTotal *throttle.Keyed
	// WrongCodes slows down an address after wrong user codes.
	WrongCodes *throttle.Backoff
	// Federation signs users in through upstream providers: the login
	// page's buttons, /login/{idp} and its callback, the account page's
	// linked identities. Nil: no upstream sign-in (no buttons, those paths
	// answer 404).
	Federation *upstream.Federation
	// UpstreamStarts limits the sign-ins an address starts at upstream
	// providers; required with Federation.
	UpstreamStarts *throttle.Keyed
	// MFA checks and manages second factors and holds the policy; default:
	// PolicyOff (users who set up a factor are still asked for it).
	MFA    *mfa.Service
	Logger *slog.Logger
	Now    func() time.Time
}

// Pages serves the HTML steps.
type Pages struct {
	cfg  Config
	tmpl templates
}

// New parses the templates (failing fast on a broken one).
func New(cfg Config) (*Pages, error) {
	if cfg.Issuer == nil {
		return nil, errors.New("pages: no personal token issuer")
	}
	t, err := loadTemplates()
	if err != nil {
		return nil, err
	}
	if cfg.Scopes == nil {
		cfg.Scopes = scopes.NewCatalog(cfg.Store, cfg.Now)
	}
	if cfg.Federation != nil && cfg.UpstreamStarts == nil {
		return nil, errors.New("pages: no limit on upstream sign-ins")
	}
	if cfg.MFA == nil {
		cfg.MFA = mfa.New(mfa.Config{Store: cfg.Store, Policy: mfa.PolicyOff, Issuer: "hubauth", Now: cfg.Now})
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 24 * time.Hour
	}
	return &Pages{cfg: cfg, tmpl: t}, nil
}

// Mount registers the pages on mux.
func (p *Pages) Mount(mux routes.Mux) {
	csrf := http.NewCrossOriginProtection()
	protect := func(h http.HandlerFunc) http.Handler { return Secure(csrf.Handler(h)) }
	mux.Handle("GET /{$}", protect(p.home))
	mux.Handle("GET /login", protect(p.loginForm))
	mux.Handle("POST /login", protect(p.login))
	mux.Handle("POST /consent", protect(p.consent))
	mux.Handle("GET /device", protect(p.deviceForm))
	mux.Handle("POST /device", protect(p.deviceEnter))
	mux.Handle("POST /device/approve", protect(p.deviceDecide))
	mux.Handle("GET /logout", protect(p.logoutForm))
	mux.Handle("POST /logout", protect(p.logout))
	mux.Handle("GET /account", protect(p.accountPage))
	mux.Handle("POST /account/tokens", protect(p.createToken))
	mux.Handle("POST /account/tokens/{id}/revoke", protect(p.revokeToken))
	mux.Handle("POST /account/tokens/{id}/rotate", protect(p.rotateToken))
	mux.Handle("POST /account/sessions/{id}/revoke", protect(p.revokeSession))
	mux.Handle("GET /login/{idp}", protect(p.upstreamBegin))
	mux.Handle("GET /login/{idp}/callback", protect(p.upstreamCallback))
	mux.Handle("POST /account/identities/link", protect(p.linkIdentity))
	mux.Handle("POST /account/identities/unlink", protect(p.unlinkIdentity))
	mux.Handle("GET /mfa", protect(p.mfaForm))
	mux.Handle("POST /mfa", protect(p.mfaVerify))
	mux.Handle("GET /mfa/setup", protect(p.setupForm))
	mux.Handle("POST /mfa/setup", protect(p.setupConfirm))
	mux.Handle("GET /mfa/setup/qr", protect(p.loginQR))
	mux.Handle("POST /account/mfa/totp", protect(p.beginTOTP))
	mux.Handle("GET /account/mfa/totp", protect(p.accountSetupForm))
	mux.Handle("POST /account/mfa/totp/confirm", protect(p.confirmTOTP))
	mux.Handle("GET /account/mfa/totp/qr", protect(p.accountQR))
	mux.Handle("POST /account/mfa/totp/remove", protect(p.removeTOTP))
	mux.Handle("POST /account/mfa/recovery", protect(p.regenerateRecovery))
	mux.Handle("POST /account/passkeys", protect(p.beginPasskey))
	mux.Handle("POST /account/passkeys/finish", protect(p.finishPasskey))
	mux.Handle("POST /account/passkeys/{id}/rename", protect(p.renamePasskey))
	mux.Handle("POST /account/passkeys/{id}/remove", protect(p.removePasskey))
	mux.Handle("POST /login/passkey", protect(p.beginPasskeySignIn))
	mux.Handle("POST /login/passkey/finish", protect(p.finishPasskeySignIn))
	mux.Handle("POST /mfa/passkey", protect(p.beginPasskeyFactor))
	mux.Handle("POST /mfa/passkey/finish", protect(p.finishPasskeyFactor))
	mux.Handle("POST /mfa/setup/passkey", protect(p.beginSetupPasskey))
	mux.Handle("POST /mfa/setup/passkey/finish", protect(p.finishSetupPasskey))
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
}

func staticHandler() http.Handler {
	fs := http.FileServerFS(web.Static())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fs.ServeHTTP(w, r)
	})
}

// Secure sets the browser-facing security headers. Pages run no script
// (script-src 'none'); the one page that does, the passkey ceremony's,
// allows the hub's own web/static/passkey.js (scriptCSP): no inline
// script, no other origin.
func Secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp("'none'"))
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// csp is the pages' Content-Security-Policy with scripts from scripts.
func csp(scripts string) string {
	return "default-src 'none'; script-src " + scripts + "; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'"
}

// scriptCSP lets the page about to be written run the hub's own scripts.
func scriptCSP(w http.ResponseWriter) { w.Header().Set("Content-Security-Policy", csp("'self'")) }

// fail renders the error page.
func (p *Pages) fail(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	p.renderError(w, r, status, errorView{Code: code, Message: message})
}

func (p *Pages) now() time.Time { return p.cfg.Now().UTC() }

// formValue reads a bounded form value; oversized and repeated parameters
// are refused by readForm first.
func formValue(r *http.Request, name string) string { return r.PostForm.Get(name) }

// form reads the POSTed form, or answers 400 with the error page.
func (p *Pages) form(w http.ResponseWriter, r *http.Request) bool {
	if !readForm(w, r) {
		p.fail(w, r, http.StatusBadRequest, "invalid_request", "The form could not be read: it is too large, malformed, or repeats a field.")
		return false
	}
	return true
}

// readForm parses a POSTed form of at most 16 KiB with no repeated
// parameter.
func readForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return false
	}
	for _, vs := range r.PostForm {
		if len(vs) > 1 {
			return false
		}
	}
	return true
}
