package pages

import (
	"bytes"
	"image/png"
	"net/http"

	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// The QR code of an authenticator key is a PNG drawn on the hub and served
// from the same origin, so the pages' CSP (img-src 'self') stays as it is
// for every page; like every page it is no-store, as it holds the key.

// serveQR draws the QR code of u's set-up under way started by owner.
func (p *Pages) serveQR(w http.ResponseWriter, r *http.Request, u storage.User, owner string) {
	secret, err := p.cfg.MFA.Pending(r.Context(), u, owner)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	key, err := mfa.Key(p.cfg.MFA.Issuer(), u.Username, secret)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	img, err := key.Image(200, 200)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		p.failStep(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(buf.Bytes())
}

// loginQR is the QR code of the set-up a sign-in waits for.
func (p *Pages) loginQR(w http.ResponseWriter, r *http.Request) {
	l, u, ok := p.setupLogin(w, r)
	if !ok {
		return
	}
	p.serveQR(w, r, u, l.TokenHash)
}

// accountQR is the QR code of the signed-in user's set-up.
func (p *Pages) accountQR(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.current(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	p.serveQR(w, r, u, bs.ID)
}
