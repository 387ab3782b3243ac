package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"time"
)

// RFC 8628 §3.5: the default polling interval, and what slow_down adds.
const (
	defaultInterval  = 5 * time.Second
	slowDownInterval = 5 * time.Second
	retryAuthorize   = time.Second // after a failed device authorization
	expiryMargin     = time.Second // re-authorize a code this close to expiry
	defaultExpiresIn = 10 * time.Minute
)

// deviceCode is one device authorization the run keeps polling. A code is
// held by the scheduler or by exactly one worker at a time.
type deviceCode struct {
	code     string // empty until authorized, and again once expired
	interval time.Duration
	expires  time.Time
	due      time.Time
	addr     string // the device's address, sent as X-Forwarded-For
}

// deviceAddr is device i's address in 198.18.0.0/15, the benchmarking
// range (RFC 2544): a hub that trusts the load generator as a proxy
// (serve --trusted-proxy 127.0.0.1) sees every device at its own address,
// as it would real devices, and limits each one separately.
func deviceAddr(i int) string {
	return netip.AddrFrom4([4]byte{198, 18 + byte(i>>16&1), byte(i >> 8), byte(i)}).String()
}

// devicePoller polls device codes on a bounded pool of workers.
type devicePoller struct {
	hc  *http.Client
	ep  Endpoints
	cfg Config
	win window
}

// runDevicePoll starts cfg.DeviceCodes device authorizations spread over
// cfg.DeviceSpread, then polls each at its interval until the window ends.
// Only polls count as requests; authorization_pending is their success.
func runDevicePoll(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) Result {
	p := &devicePoller{hc: hc, ep: ep, cfg: cfg, win: newWindow(cfg)}
	ctx, cancel := context.WithDeadline(ctx, p.win.end)
	defer cancel()
	codes := make([]*deviceCode, cfg.DeviceCodes)
	for i := range codes {
		offset := cfg.DeviceSpread * time.Duration(i) / time.Duration(len(codes))
		codes[i] = &deviceCode{due: p.win.start.Add(offset), addr: deviceAddr(i)}
	}
	s := newScheduler(codes)
	recs := make([]*Recorder, cfg.Concurrency)
	var wg sync.WaitGroup
	for i := range recs {
		rec := NewRecorder()
		recs[i] = rec
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case c := <-s.work:
					p.handle(ctx, c, rec)
					s.back <- c // never blocks: room for every code
				}
			}
		})
	}
	s.run(ctx)
	wg.Wait()
	return Merge(cfg.Scenario, "poll", cfg.Concurrency, p.win.elapsed(), recs)
}

// handle authorizes c if it has no live code, or polls it once, and sets
// its next due time. The interval counts from the end of the previous
// request, so the server never sees two polls closer than interval.
func (p *devicePoller) handle(ctx context.Context, c *deviceCode, rec *Recorder) {
	if c.code == "" || time.Now().Add(expiryMargin).After(c.expires) {
		p.authorize(ctx, c, rec)
		return
	}
	body := url.Values{
		"grant_type":  {"urn:ietf:params:oauth:grant-type:device_code"},
		"device_code": {c.code},
		"client_id":   {p.cfg.ClientID},
	}.Encode()
	start := time.Now()
	r, err := postForm(ctx, p.hc, p.ep.Token, body, nil)
	end := time.Now()
	c.due = end.Add(c.interval)
	if ctx.Err() != nil || !p.win.counted(start) {
		return
	}
	switch code := oauthError(r); {
	case err != nil:
		rec.Error(err.Error())
	case code == "authorization_pending":
		rec.OK(end.Sub(start))
	case code == "slow_down":
		c.interval += slowDownInterval
		c.due = end.Add(c.interval)
		rec.Error(r.String())
	default:
		rec.Error(r.String())
	}
}

// authorize starts a device authorization (RFC 8628 §3.1) for c. It is
// not a poll: a failure counts as an error, a success only in the
// device_codes_started counter (warm-up included).
func (p *devicePoller) authorize(ctx context.Context, c *deviceCode, rec *Recorder) {
	body := url.Values{"client_id": {p.cfg.ClientID}, "scope": {p.cfg.Scopes}}.Encode()
	start := time.Now()
	r, err := postForm(ctx, p.hc, p.ep.DeviceAuthorization, body, http.Header{"X-Forwarded-For": {c.addr}})
	var resp struct {
		DeviceCode string `json:"device_code"`
		ExpiresIn  int    `json:"expires_in"`
		Interval   int    `json:"interval"`
	}
	if err == nil && r.status == http.StatusOK {
		err = json.Unmarshal(r.body, &resp)
	}
	if err != nil || r.status != http.StatusOK || resp.DeviceCode == "" {
		c.code, c.due = "", time.Now().Add(retryAuthorize)
		if ctx.Err() == nil && p.win.counted(start) {
			rec.Error("device authorization: " + errorDetail(r, err))
		}
		return
	}
	now := time.Now()
	c.code, c.interval = resp.DeviceCode, defaultInterval
	if resp.Interval > 0 {
		c.interval = time.Duration(resp.Interval) * time.Second
	}
	c.expires = now.Add(defaultExpiresIn)
	if resp.ExpiresIn > 0 {
		c.expires = now.Add(time.Duration(resp.ExpiresIn) * time.Second)
	}
	c.due = now.Add(c.interval)
	rec.Count("device_codes_started", 1)
}

// oauthError returns the "error" field of an RFC 6749 §5.2 error
// response (400), or "".
func oauthError(r reply) string {
	if r.status != http.StatusBadRequest {
		return ""
	}
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.Error
}

// errorDetail describes a failed request for error samples.
func errorDetail(r reply, err error) string {
	if err != nil {
		return err.Error()
	}
	return r.String()
}
