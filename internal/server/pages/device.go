package pages

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/storage"
)

// errCodeGone: the code is unknown, expired or already decided.
var errCodeGone = errors.New("pages: device code unknown, expired or used")

// deviceForm asks for the user code (prefilled from verification_uri_complete).
func (p *Pages) deviceForm(w http.ResponseWriter, r *http.Request) {
	v := view{UserCode: names.Clip(r.URL.Query().Get("user_code"), 32)}
	if _, u, ok := p.current(r); ok {
		v.User = &u
	}
	p.render(w, r, http.StatusOK, "device.html", v)
}

// deviceEnter checks the typed code; a signed-in user sees the approval
// step, others sign in first.
func (p *Pages) deviceEnter(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	if !p.allowCodeEntry(w, r) {
		return
	}
	typed := names.Clip(formValue(r, "user_code"), 32)
	if _, ok := p.pendingDevice(r, typed); !ok {
		p.wrongCode(r)
		p.render(w, r, http.StatusBadRequest, "device.html", view{UserCode: typed,
			Error: "That code is not valid or has expired. Check the code on your device."})
		return
	}
	_, u, ok := p.current(r)
	if !ok {
		p.render(w, r, http.StatusOK, "login.html", view{UserCode: typed})
		return
	}
	p.showDevice(w, r, u, typed)
}

// allowCodeEntry rate-limits code entry: an address that entered wrong
// codes waits, doubling with each (WrongCodes); every address is limited to
// a steady rate (CodeEntry), and all together too (CodeEntryTotal).
func (p *Pages) allowCodeEntry(w http.ResponseWriter, r *http.Request) bool {
	key := clientaddr.From(r).ThrottleKey()
	wait := p.cfg.WrongCodes.Check(key)
	ok := wait == 0
	if ok {
		ok, wait = p.cfg.CodeEntry.Allow(key)
	}
	if ok {
		ok, wait = p.cfg.CodeEntryTotal.Allow("")
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
		p.render(w, r, http.StatusTooManyRequests, "device.html", view{Error: "Too many codes entered. Wait a moment and try again."})
	}
	return ok
}

// wrongCode records a code that is not pending against the address.
func (p *Pages) wrongCode(r *http.Request) {
	p.cfg.WrongCodes.Failed(clientaddr.From(r).ThrottleKey())
}

// pendingDevice finds a pending, unexpired device authorization by the
// code as typed.
func (p *Pages) pendingDevice(r *http.Request, typed string) (storage.DeviceAuth, bool) {
	code, ok := provider.NormalizeUserCode(typed)
	if !ok {
		return storage.DeviceAuth{}, false
	}
	d, err := p.cfg.Store.GetDeviceAuthByUserCode(r.Context(), code)
	if err != nil || d.State != storage.DevicePending || !p.now().Before(d.ExpiresAt) {
		return d, false
	}
	return d, true
}

// showDevice shows the approval step: the client's name and the scopes.
func (p *Pages) showDevice(w http.ResponseWriter, r *http.Request, u storage.User, typed string) {
	d, ok := p.pendingDevice(r, typed)
	if !ok {
		p.wrongCode(r)
		p.render(w, r, http.StatusBadRequest, "device.html", view{User: &u, UserCode: typed,
			Error: "That code is not valid or has expired. Check the code on your device."})
		return
	}
	described, err := p.describeScopes(r.Context(), d.Scopes)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	p.render(w, r, http.StatusOK, "consent.html", view{User: &u, Client: p.clientName(r, d.ClientID),
		UserCode: provider.FormatUserCode(d.UserCode), Scopes: described, Action: "/device/approve"})
}

// deviceDecide records the signed-in user's approval or denial.
func (p *Pages) deviceDecide(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	if !p.allowCodeEntry(w, r) {
		return
	}
	bs, u, ok := p.current(r)
	if !ok {
		p.render(w, r, http.StatusUnauthorized, "login.html", view{UserCode: names.Clip(formValue(r, "user_code"), 32),
			Error: "Your hub session has ended. Sign in again."})
		return
	}
	code, valid := provider.NormalizeUserCode(formValue(r, "user_code"))
	approve := formValue(r, "decision") == "approve"
	if !valid || p.decide(r, code, approve, u, bs) != nil {
		p.wrongCode(r)
		p.render(w, r, http.StatusBadRequest, "device.html", view{User: &u,
			Error: "That code is not valid any more. Start again on your device."})
		return
	}
	if approve {
		p.render(w, r, http.StatusOK, "done.html", view{User: &u, Title: "Device connected",
			Message: "You can close this page and return to your device."})
		return
	}
	p.render(w, r, http.StatusOK, "done.html", view{User: &u, Title: "Request denied",
		Message: "The device was not connected. You can close this page."})
}

func (p *Pages) decide(r *http.Request, code string, approve bool, u storage.User, bs storage.BrowserSession) error {
	now := p.now()
	err := p.cfg.Store.UpdateDeviceAuth(r.Context(), code, func(d storage.DeviceAuth) (storage.DeviceAuth, error) {
		if d.State != storage.DevicePending || !now.Before(d.ExpiresAt) {
			return d, errCodeGone
		}
		d.State = storage.DeviceDenied
		if approve {
			d.State, d.UserID, d.AuthTime, d.AMR = storage.DeviceApproved, u.ID, bs.AuthTime, bs.AMR
		}
		return d, nil
	})
	if err != nil {
		return err
	}
	p.audit(r, storage.AuditEvent{Type: "device_" + map[bool]string{true: "approved", false: "denied"}[approve], UserID: u.ID})
	return nil
}

func (p *Pages) audit(r *http.Request, e storage.AuditEvent) {
	e.Time, e.Address = p.now(), clientaddr.From(r).String()
	if err := p.cfg.Store.AppendAudit(r.Context(), e); err != nil {
		p.cfg.Logger.ErrorContext(r.Context(), "audit", "type", e.Type, "err", err)
	}
}
