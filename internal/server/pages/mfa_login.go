package pages

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/storage"
)

// mfaCookie binds a sign-in waiting for its second factor to the browser
// whose first factor passed; mfaLoginTTL is how long it waits.
const (
	mfaCookie   = "hubauth_mfa"
	mfaLoginTTL = 10 * time.Minute
)

// signedIn goes on after a first factor (a password, an upstream sign-in
// at authTime) of u recorded as amr: to the second factor when u has one, the policy
// requires one or the application asks for one; else to a hub session.
// No hub session, code or token exists before the second factor passed.
func (p *Pages) signedIn(w http.ResponseWriter, r *http.Request, v loginView, u storage.User, amr []string, authTime time.Time) {
	need, err := p.cfg.MFA.Needed(r.Context(), u)
	if err == nil && !need && v.AuthRequestID != "" {
		a, aerr := p.authRequest(r, v.AuthRequestID)
		need = aerr == nil && mfa.AskedFor(a.ACRValues)
	}
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	if need {
		// The wait starts now; the session's auth_time becomes the
		// second factor's (consumeLogin).
		p.awaitSecondFactor(w, r, v, u, amr, p.now())
		return
	}
	bs, err := p.startSession(w, r, u, amr, authTime)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	p.continueLogin(w, r, v, u, bs)
}

// stepUp asks a signed-in user for the second factor an application asks
// for (acr_values=mfa) or the user now needs; without one, the user signs
// in again and sets one up right after the password.
func (p *Pages) stepUp(w http.ResponseWriter, r *http.Request, a storage.AuthRequest, u storage.User, bs storage.BrowserSession) {
	if slices.Contains(a.Prompt, oidc.PromptNone) {
		p.cfg.Provider.Fail(w, r, a, oidc.ErrInteractionRequired().WithDescription("a second factor is needed"))
		return
	}
	p.stepUpSession(w, r, loginView{AuthRequestID: a.ID, Client: p.clientName(r, a.ClientID), Username: u.Username}, u, bs)
}

// stepUpSession asks the user of hub session bs for a second factor on top
// of the session's first, going on to v's destination after; the session
// is replaced by one of both factors (consumeLogin).
func (p *Pages) stepUpSession(w http.ResponseWriter, r *http.Request, v loginView, u storage.User, bs storage.BrowserSession) {
	f, err := p.cfg.MFA.Factors(r.Context(), u)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	if !f.Any() {
		v.Notice = "A second factor is needed. Sign in again to set one up."
		p.renderLogin(w, r, http.StatusOK, v)
		return
	}
	p.await(w, r, v, storage.MFALogin{UserID: u.ID, AMR: bs.AMR, AuthTime: bs.AuthTime, StepUpOf: bs.ID})
}

// awaitSecondFactor stores the sign-in waiting for its second factor,
// binds it to this browser, and sends the browser to the code form (or,
// for a user the policy requires one of who has none, to set one up).
func (p *Pages) awaitSecondFactor(w http.ResponseWriter, r *http.Request, v loginView, u storage.User, amr []string, authTime time.Time) {
	p.await(w, r, v, storage.MFALogin{UserID: u.ID, AMR: amr, AuthTime: authTime})
}

// await stores l, going on to v's destination, and sends the browser to
// the code form.
func (p *Pages) await(w http.ResponseWriter, r *http.Request, v loginView, l storage.MFALogin) {
	token, now := secret.New(), p.now()
	l.TokenHash, l.CreatedAt, l.ExpiresAt = secret.Hash(token), now, now.Add(mfaLoginTTL)
	l.AuthRequestID, l.UserCode, l.Next = v.AuthRequestID, v.UserCode, v.Next
	if err := p.cfg.Store.CreateMFALogin(r.Context(), l); err != nil {
		p.failStep(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: mfaCookie, Value: token, Path: "/mfa", HttpOnly: true, Secure: p.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(mfaLoginTTL / time.Second)})
	http.Redirect(w, r, "/mfa", http.StatusSeeOther)
}

// pendingLogin returns the sign-in this browser's cookie names, waiting
// for its second factor, and its user.
func (p *Pages) pendingLogin(r *http.Request) (storage.MFALogin, storage.User, bool) {
	return p.lookupLogin(r, p.cfg.Store.GetMFALogin)
}

// attemptLogin is pendingLogin counting a code against the sign-in first,
// in the database, so that however many requests run at once at most
// storage.MaxCodeAttempts codes are checked; then it is spent.
func (p *Pages) attemptLogin(r *http.Request) (storage.MFALogin, storage.User, bool) {
	return p.lookupLogin(r, p.cfg.Store.AttemptMFALogin)
}

func (p *Pages) lookupLogin(r *http.Request, get func(context.Context, string, time.Time) (storage.MFALogin, error)) (storage.MFALogin, storage.User, bool) {
	c, err := r.Cookie(mfaCookie)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return storage.MFALogin{}, storage.User{}, false
	}
	l, err := get(r.Context(), secret.Hash(c.Value), p.now())
	if err != nil {
		return l, storage.User{}, false
	}
	u, err := p.cfg.Store.GetUser(r.Context(), l.UserID)
	if err != nil || u.Disabled {
		return l, u, false
	}
	return l, u, true
}

// noPendingLogin answers a second-factor step with no sign-in waiting.
func (p *Pages) noPendingLogin(w http.ResponseWriter, r *http.Request) {
	p.fail(w, r, http.StatusBadRequest, "login_required",
		"This sign-in has expired, was already finished, had too many wrong codes, or was started in another browser. Sign in again.")
}

// mfaForm asks for the second factor of the sign-in waiting in this
// browser; a user who must have one and has none sets one up instead.
func (p *Pages) mfaForm(w http.ResponseWriter, r *http.Request) {
	_, u, ok := p.pendingLogin(r)
	if !ok {
		p.noPendingLogin(w, r)
		return
	}
	f, err := p.cfg.MFA.Factors(r.Context(), u)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	if !f.Any() {
		http.Redirect(w, r, "/mfa/setup", http.StatusSeeOther)
		return
	}
	p.renderMFA(w, r, http.StatusOK, mfaView{Username: u.Username, userID: u.ID})
}

// mfaVerify checks the code; the right one ends the wait (once: the
// waiting sign-in is consumed) with a hub session that records both
// factors, and the sign-in goes on where it was going.
func (p *Pages) mfaVerify(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	l, u, ok := p.attemptLogin(r)
	if !ok {
		p.noPendingLogin(w, r)
		return
	}
	method, err := p.cfg.MFA.Verify(r.Context(), u, formValue(r, "code"), clientaddr.From(r).ThrottleKey())
	if err != nil {
		p.mfaFailed(w, r, mfaView{Username: u.Username, userID: u.ID}, err)
		return
	}
	p.finishSecondFactor(w, r, l, u, method)
}

// finishSecondFactor consumes the waiting sign-in l and starts the hub
// session of both factors.
func (p *Pages) finishSecondFactor(w http.ResponseWriter, r *http.Request, l storage.MFALogin, u storage.User, method string) {
	bs, ok := p.consumeLogin(w, r, l, u, method)
	if ok {
		p.continueLogin(w, r, loginView{AuthRequestID: l.AuthRequestID, UserCode: l.UserCode, Next: l.Next}, u, bs)
	}
}

// consumeLogin ends the wait of l (a second request with the same cookie
// finds nothing) and starts the hub session with method added to its AMR.
func (p *Pages) consumeLogin(w http.ResponseWriter, r *http.Request, l storage.MFALogin, u storage.User, method string) (storage.BrowserSession, bool) {
	if _, err := p.cfg.Store.ConsumeMFALogin(r.Context(), l.TokenHash, p.now()); err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			p.noPendingLogin(w, r)
		} else {
			p.failStep(w, r, err)
		}
		return storage.BrowserSession{}, false
	}
	http.SetCookie(w, &http.Cookie{Name: mfaCookie, Value: "", Path: "/mfa", HttpOnly: true, Secure: p.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	authTime := p.now()
	if l.StepUpOf != "" {
		// A step-up keeps when the first factor was passed; the
		// session of the first factor alone ends.
		authTime = l.AuthTime
	}
	bs, err := p.startSession(w, r, u, storage.WithSecondFactor(l.AMR, method), authTime)
	if err != nil {
		p.failStep(w, r, err)
		return bs, false
	}
	if l.StepUpOf != "" {
		if _, err := p.cfg.Store.EndBrowserSession(r.Context(), l.StepUpOf, p.now()); err != nil && !errors.Is(err, storage.ErrNotFound) {
			p.cfg.Logger.WarnContext(r.Context(), "step-up: ending the first factor's session", "err", err)
		}
	}
	return bs, true
}

// mfaFailed renders the code form again with what went wrong.
func (p *Pages) mfaFailed(w http.ResponseWriter, r *http.Request, v mfaView, err error) {
	status, msg := codeError(w, err)
	if status == 0 {
		p.failStep(w, r, err)
		return
	}
	v.Error = msg
	p.renderMFA(w, r, status, v)
}

// codeError is the status and message of a refused code; 0 for an error
// that is the hub's (failStep's).
func codeError(w http.ResponseWriter, err error) (int, string) {
	var throttled *authn.ThrottledError
	switch {
	case errors.Is(err, mfa.ErrWrongCode), errors.Is(err, mfa.ErrNoFactor):
		return http.StatusUnauthorized, "That code is wrong or has expired. Enter the current code from your authenticator app, or a recovery code."
	case errors.Is(err, mfa.ErrReplayed):
		return http.StatusUnauthorized, "That code was already used. Wait for the next code in your authenticator app."
	case errors.Is(err, mfa.ErrMalformed):
		return http.StatusBadRequest, "Enter the 6-digit code from your authenticator app, or a recovery code like abcde-fghij."
	case errors.Is(err, mfa.ErrNoEnrolment):
		return http.StatusConflict, "This set-up has expired or was replaced. Scan the new QR code and enter its code."
	case errors.Is(err, mfa.ErrHasFactor):
		return http.StatusConflict, "You have a second factor already: use it to sign in."
	case errors.As(err, &throttled):
		return tooManyFailures(w, throttled)
	}
	return 0, ""
}

// tooManyFailures is the one answer to a second-factor step while its
// failures are slowed down (a code, a passkey): 429 with Retry-After and
// how long to wait.
func tooManyFailures(w http.ResponseWriter, throttled *authn.ThrottledError) (int, string) {
	w.Header().Set("Retry-After", strconv.Itoa(throttle.Seconds(throttled.RetryAfter)))
	return http.StatusTooManyRequests, "Too many failed attempts. Wait " + throttledFor(throttled) + " and try again."
}
