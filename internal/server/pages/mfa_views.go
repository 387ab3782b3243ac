package pages

import (
	"net/http"

	"github.com/hubauth/hubauth/internal/storage"
)

// mfaView is mfa.html: the second-factor form of a sign-in under way of
// the user userID: the code form (an authenticator app's code when TOTP,
// else a recovery code) and, when the user has passkeys and the hub
// allows them, "Use a passkey". renderMFA fills TOTP and Passkey.
type mfaView struct {
	layout
	Username      string
	userID        string
	TOTP, Passkey bool
}

func (p *Pages) renderMFA(w http.ResponseWriter, r *http.Request, status int, v mfaView) {
	if f, err := p.cfg.MFA.Factors(r.Context(), storage.User{ID: v.userID}); err == nil {
		v.TOTP = f.TOTP
		v.Passkey = f.Passkeys > 0 && p.cfg.MFA.PasskeysUnavailable() == ""
	}
	p.execute(w, r, status, p.tmpl.mfaTmpl, v)
}

// totpView is totp.html: setting up an authenticator app — the QR code
// (an image at QR, same origin), the key as text, and the code form
// posting to Action. Reason says why, when the hub requires it.
type totpView struct {
	layout
	Reason, Account, Secret, QR, Action string
	// Reauth asks for the password with the code: the sign-in is no
	// longer fresh (account set-up only).
	Reauth bool
	// Passkey offers a passkey instead (login-time set-up only).
	Passkey bool
}

func (p *Pages) renderTOTP(w http.ResponseWriter, r *http.Request, status int, v totpView) {
	p.execute(w, r, status, p.tmpl.totpTmpl, v)
}

// recoveryView is recovery.html: new recovery codes, shown this once, and
// where to go on: a page (Continue) or a device code to approve (UserCode).
type recoveryView struct {
	layout
	Intro              string
	Codes              []string
	Continue, UserCode string
}

func (p *Pages) renderRecovery(w http.ResponseWriter, r *http.Request, status int, v recoveryView) {
	p.execute(w, r, status, p.tmpl.recoveryTmpl, v)
}
