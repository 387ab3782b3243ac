package pages

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/storage"
)

// errCodeGone: the code is unknown, expired or already decided.
var errCodeGone = errors.New("pages: device code unknown, expired or used")

// deviceForm asks for the user code (prefilled from verification_uri_complete).
func (p *Pages) deviceForm(w http.ResponseWriter, r *http.Request) {
	v := deviceView{UserCode: names.Clip(r.URL.Query().Get("user_code"), 32)}
	if _, u, ok := p.current(r); ok {
		v.User = &u
	}
	p.renderDevice(w, r, http.StatusOK, v)
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
	d, ok := p.lookupCode(w, r, nil, typed)
	if !ok {
		return
	}
	_, u, ok := p.current(r)
	if !ok {
		p.renderLogin(w, r, http.StatusOK, loginView{UserCode: typed})
		return
	}
	p.approvalStep(w, r, u, d)
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
		w.Header().Set("Retry-After", strconv.Itoa(throttle.Seconds(wait)))
		p.renderDevice(w, r, http.StatusTooManyRequests, deviceView{layout: layout{Error: "Too many codes entered. Wait a moment and try again."}})
	}
	return ok
}

// wrongCode answers a code that is not pending with the code form and the
// message in v, and counts it against the address (WrongCodes).
func (p *Pages) wrongCode(w http.ResponseWriter, r *http.Request, v deviceView) {
	p.cfg.WrongCodes.Failed(clientaddr.From(r).ThrottleKey())
	p.renderDevice(w, r, http.StatusBadRequest, v)
}

// lookupCode finds the pending device authorization the typed code names,
// for u when signed in. Without one it answers and reports false: with
// wrongCode for a code that is not pending, with the error page when the
// database fails (which is no wrong code).
func (p *Pages) lookupCode(w http.ResponseWriter, r *http.Request, u *storage.User, typed string) (storage.DeviceAuth, bool) {
	d, err := p.pendingDevice(r, typed)
	switch {
	case errors.Is(err, errCodeGone):
		p.wrongCode(w, r, deviceView{UserCode: typed,
			layout: layout{User: u, Error: "That code is not valid or has expired. Check the code on your device."}})
		return d, false
	case err != nil:
		p.failStep(w, r, err)
		return d, false
	}
	return d, true
}

// pendingDevice finds a pending, unexpired device authorization by the
// code as typed: errCodeGone when there is none, or the storage error.
func (p *Pages) pendingDevice(r *http.Request, typed string) (storage.DeviceAuth, error) {
	code, ok := provider.NormalizeUserCode(typed)
	if !ok {
		return storage.DeviceAuth{}, errCodeGone
	}
	d, err := p.cfg.Store.GetDeviceAuthByUserCode(r.Context(), code)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return d, errCodeGone
	case err != nil:
		return d, err
	case d.State != storage.DevicePending || !p.now().Before(d.ExpiresAt):
		return d, errCodeGone
	}
	return d, nil
}

// showDevice shows the signed-in user the approval step of the typed code.
func (p *Pages) showDevice(w http.ResponseWriter, r *http.Request, u storage.User, typed string) {
	if d, ok := p.lookupCode(w, r, &u, typed); ok {
		p.approvalStep(w, r, u, d)
	}
}

// approvalStep shows the approval step of d: the client's name and the
// scopes.
func (p *Pages) approvalStep(w http.ResponseWriter, r *http.Request, u storage.User, d storage.DeviceAuth) {
	described, err := p.describeScopes(r.Context(), d.Scopes)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	apis, err := p.describeAPIs(r.Context(), d.Resources)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	p.renderConsent(w, r, http.StatusOK, consentView{layout: layout{User: &u}, Client: p.clientName(r, d.ClientID),
		UserCode: provider.FormatUserCode(d.UserCode), Scopes: described, APIs: apis, Action: "/device/approve"})
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
		p.renderLogin(w, r, http.StatusUnauthorized, loginView{UserCode: names.Clip(formValue(r, "user_code"), 32),
			layout: layout{Error: "Your hub session has ended. Sign in again."}})
		return
	}
	approve := formValue(r, "decision") == "approve"
	err := errCodeGone
	if code, valid := provider.NormalizeUserCode(formValue(r, "user_code")); valid {
		err = p.decide(r, code, approve, u, bs)
	}
	switch {
	case errors.Is(err, errCodeGone):
		p.wrongCode(w, r, deviceView{layout: layout{User: &u, Error: "That code is not valid any more. Start again on your device."}})
		return
	case err != nil:
		p.failStep(w, r, err)
		return
	}
	if approve {
		p.renderDone(w, r, http.StatusOK, doneView{layout: layout{User: &u}, Title: "Device connected",
			Message: "You can close this page and return to your device."})
		return
	}
	p.renderDone(w, r, http.StatusOK, doneView{layout: layout{User: &u}, Title: "Request denied",
		Message: "The device was not connected. You can close this page."})
}

// decide approves or denies the pending authorization of code:
// errCodeGone when there is none, or the storage error.
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
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return errCodeGone
	case err != nil:
		return err
	}
	p.audit(r, storage.AuditEvent{Type: map[bool]string{true: storage.AuditDeviceApproved, false: storage.AuditDeviceDenied}[approve], UserID: u.ID})
	return nil
}

func (p *Pages) audit(r *http.Request, e storage.AuditEvent) {
	e.Time, e.Address = p.now(), clientaddr.From(r).String()
	if err := p.cfg.Store.AppendAudit(r.Context(), e); err != nil {
		p.cfg.Logger.ErrorContext(r.Context(), "audit", "type", e.Type, "err", err)
	}
}
