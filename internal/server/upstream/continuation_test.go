package upstream_test

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/upstream"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestSeveralAudiences: an ID token for the hub and others counts when
// its azp names the hub (OpenID Connect Core §3.1.3.7); the refusals are
// in TestRoundTripRefused.
func TestSeveralAudiences(t *testing.T) {
	rg, fx := fixtureRig(t, 0)
	fx.set(func(k *knobs) { k.auds, k.azp = []string{"other", "hub"}, "hub" })
	res := rg.signIn(newBrowser(t), "fx", nil)
	wantErr(t, res.Err, nil)
}

// TestPromptAndMaxAgeUpstream: what the hub's request asks (prompt=login,
// max_age) goes to the upstream, a link always asks for a new sign-in,
// and the upstream's auth_time is checked against both and becomes the
// identity's AuthTime.
func TestPromptAndMaxAgeUpstream(t *testing.T) {
	tests := []struct {
		name       string
		query      string        // of /begin/fx: force, max_age, link
		authTime   time.Duration // before now, of the upstream's auth_time; 0: none sent
		future     bool          // auth_time after now
		prompt     string
		maxAge     string
		want       error
		wantAuthAt time.Duration // before now, of the identity's AuthTime (±5 s)
	}{
		{name: "nothing asked, no auth_time", query: "", wantAuthAt: 0},
		{name: "nothing asked, an old sign-in kept as it is", query: "", authTime: 3 * time.Hour, wantAuthAt: 3 * time.Hour},
		{name: "auth_time in the future: now", query: "", future: true, wantAuthAt: 0},
		{name: "prompt=login passed on", query: "force", prompt: "login", wantAuthAt: 0},
		{name: "prompt=login, fresh sign-in", query: "force", authTime: 0, prompt: "login"},
		{name: "prompt=login, the upstream's session reused", query: "force", authTime: time.Hour, prompt: "login", want: upstream.ErrRejected},
		{name: "link asks prompt=login", query: "link=u-1", prompt: "login"},
		{name: "link, the upstream's session reused", query: "link=u-1", authTime: time.Hour, prompt: "login", want: upstream.ErrRejected},
		{name: "max_age passed on, within it", query: "max_age=600", authTime: 5 * time.Minute, maxAge: "600", wantAuthAt: 5 * time.Minute},
		{name: "max_age, older sign-in", query: "max_age=600", authTime: 30 * time.Minute, maxAge: "600", want: upstream.ErrRejected},
		{name: "max_age, within the clock skew: moved inside", query: "max_age=600", authTime: 10*time.Minute + 30*time.Second, maxAge: "600", wantAuthAt: 9 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rg, fx := fixtureRig(t, 0)
			now := time.Now()
			fx.set(func(k *knobs) {
				switch {
				case tt.future:
					k.authTime = now.Add(time.Hour)
				case tt.authTime != 0:
					k.authTime = now.Add(-tt.authTime)
				}
			})
			p := newBrowser(t).get(rg.URL + "/begin/fx?" + tt.query)
			asked := fx.askedFor()
			if asked.Get("prompt") != tt.prompt || asked.Get("max_age") != tt.maxAge {
				t.Fatalf("upstream asked prompt=%q max_age=%q, want %q %q", asked.Get("prompt"), asked.Get("max_age"), tt.prompt, tt.maxAge)
			}
			res := rg.resultOf(p)
			wantErr(t, res.Err, tt.want)
			if tt.want != nil {
				if d := rg.lastAudit(storage.AuditUpstreamFailed); d == "" {
					t.Fatal("refusal not audited")
				}
				return
			}
			got := time.Since(res.ID.AuthTime)
			if d := got - tt.wantAuthAt; d < -5*time.Second || d > 5*time.Second {
				t.Fatalf("AuthTime %v ago, want %v ago", got.Round(time.Second), tt.wantAuthAt)
			}
		})
	}
}
