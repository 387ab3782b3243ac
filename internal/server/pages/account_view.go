package pages

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// accountView is account.html: the profile of layout.User, with the
// user's groups, personal tokens and logins, and the new-token form.
type accountView struct {
	layout
	Groups    []string
	Tokens    []tokenRow
	Sessions  []sessionRow
	Lifetimes []lifetime
	Scopes    []scopeChoice // filled by loadAccount
	chosen    []string      // the scopes checked on a refused form
	TokenName string        // the new-token form's name, kept on a refused form
	FormError string        // why the new-token form was refused
	Secret    *newSecret    // the token just created, shown this once
	// The sign-in methods: whether the user has a password that signs in
	// (never while PasswordOff: password sign-in is off on this hub), the
	// linked identities, and a "Link …" button per enabled provider not
	// linked yet; IdentityError says why a link or unlink was refused.
	HasPassword   bool
	PasswordOff   bool
	Identities    []identityRow
	Linkable      []providerButton
	IdentityError string
	// MFA is the second factors section.
	MFA mfaSection
}

// SignInHint says how the user signs in: with the password (unless it is
// off on this hub or the user has none), a passkey (the login page's
// "Sign in with a passkey") and the linked identities listed below it.
func (v accountView) SignInHint() string {
	var ways []string
	if v.HasPassword {
		ways = append(ways, "your hub password")
	}
	if len(v.MFA.Passkeys) > 0 && v.MFA.PasskeysOff == "" {
		ways = append(ways, "a passkey")
	}
	if len(v.Identities) > 0 {
		ways = append(ways, "these identities")
	}
	var lead string
	switch {
	case v.PasswordOff:
		lead = "Password sign-in is turned off on this hub"
	case !v.HasPassword:
		lead = "You have no hub password"
	}
	switch {
	case len(ways) == 0:
		return lead + "."
	case lead == "":
		return "You can sign in with " + joinAnd(ways) + "."
	}
	return lead + ": you sign in with " + joinAnd(ways) + "."
}

// joinAnd joins items as a list in a sentence: "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// mfaSection is the account page's second factors: the authenticator
// app, the recovery codes left, whether the policy requires a factor,
// whether changes need the password again (Reauth: the sign-in is not
// fresh) and why a change was refused (Error).
type mfaSection struct {
	TOTP          bool
	RecoveryCodes int
	Required      bool
	Reauth        bool
	Error         string
	// Passkeys are the user's passkeys; PasskeysOff says why the hub
	// offers none (its address), "" when it does.
	Passkeys    []passkeyRow
	PasskeysOff string
}

// passkeyRow is a passkey as listed: its name, when added and last used,
// and whether it is synced (may be backed up to the user's other devices).
type passkeyRow struct {
	ID, Name          string
	Created, LastUsed string
	Synced            bool
}

// identityRow is a linked upstream identity as listed: the provider's
// display name and name, the upstream subject, when.
type identityRow struct {
	Provider, Name, Subject string
	Linked, LastUsed        string
}

// newSecret is a personal token's secret, rendered in the response that
// created it and nowhere else.
type newSecret struct {
	Name, Token string
	Rotated     bool // a new secret for an existing token
}

// tokenRow is a personal token as listed: never its secret.
type tokenRow struct {
	ID, Name                   string
	Scopes                     []string
	Created, Expires, LastUsed string
}

// sessionRow is a login as listed: which application, how, from where.
type sessionRow struct {
	ID, Client, Method, Name, Address string
	Created, LastUsed                 string
	// ActingFor, for a service acting for the user (token exchange), is
	// the application of the login it acts from; FromToken, for one
	// acting from a personal token, that token's name.
	ActingFor, FromToken string
}

// lifetime is one choice of the new-token form's lifetime.
type lifetime struct {
	Seconds  int64
	Label    string
	Selected bool
}

// scopeChoice is one scope checkbox of the new-token form.
type scopeChoice struct {
	Name, Description string
	Checked           bool
}

// newTokenForm returns the new-token form with the lifetimes the server
// allows (1, 7, 30, 90 days up to its maximum, and "never" where the
// operator allows it) and the given choices; without a valid choice the
// longest finite lifetime is selected.
func (p *Pages) newTokenForm(name string, expiresIn int64, scopes []string) accountView {
	max := time.Duration(p.cfg.Issuer.Policy.MaxSeconds()) * time.Second
	av := accountView{TokenName: name}
	for _, days := range []int{1, 7, 30, 90} {
		if d := time.Duration(days) * 24 * time.Hour; d <= max {
			av.Lifetimes = append(av.Lifetimes, lifetime{Seconds: int64(d / time.Second), Label: plural(days, "day")})
		}
	}
	if len(av.Lifetimes) == 0 {
		av.Lifetimes = []lifetime{{Seconds: int64(max / time.Second), Label: max.String()}}
	}
	selected := len(av.Lifetimes) - 1
	if p.cfg.Issuer.Policy.NoExpiry {
		av.Lifetimes = append(av.Lifetimes, lifetime{Seconds: 0, Label: "never"})
	}
	for i, l := range av.Lifetimes {
		if l.Seconds == expiresIn {
			selected = i
		}
	}
	av.Lifetimes[selected].Selected = true
	av.chosen = scopes
	return av
}

// loadAccount fills av with the scopes a token may have and the user's
// groups, tokens and active logins.
func (p *Pages) loadAccount(r *http.Request, bs storage.BrowserSession, u storage.User, av *accountView) error {
	ctx := r.Context()
	set, err := p.cfg.Scopes.Load(ctx)
	if err != nil {
		return err
	}
	av.Scopes = scopeChoices(set, av.chosen)
	groups, err := p.cfg.Store.ListUserGroups(ctx, u.ID)
	if err != nil {
		return err
	}
	tokens, err := p.cfg.Store.ListPersonalTokens(ctx, u.ID)
	if err != nil {
		return err
	}
	sessions, err := p.cfg.Store.ListUserSessions(ctx, u.ID, p.now())
	if err != nil {
		return err
	}
	if err := p.loadIdentities(r, u, av); err != nil {
		return err
	}
	if err := p.loadMFA(r, bs, u, av); err != nil {
		return err
	}
	av.Groups = groups
	for _, t := range tokens {
		av.Tokens = append(av.Tokens, tokenRow{ID: t.ID, Name: t.Name, Scopes: t.Scopes,
			Created: when(t.CreatedAt, ""), Expires: when(t.ExpiresAt, "never"), LastUsed: when(t.LastUsedAt, "never")})
	}
	for _, s := range sessions {
		row := sessionRow{ID: s.ID, Client: p.clientName(r, s.ClientID), Method: s.Method,
			Name: s.Name, Address: s.Address, Created: when(s.CreatedAt, ""), LastUsed: when(s.LastUsedAt, "never")}
		if _, ok := storage.ParentPersonalToken(s.ParentID); ok {
			row.FromToken = s.Name // the personal token's name (provider.personalTokenParent)
		} else {
			row.ActingFor = p.actingFor(r, sessions, s)
		}
		av.Sessions = append(av.Sessions, row)
	}
	return nil
}

// when formats a time for the page, or zero as the text given.
func when(t time.Time, zero string) string {
	if t.IsZero() {
		return zero
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}

// plural writes "1 day", "7 days".
func plural(n int, unit string) string {
	s := strconv.Itoa(n) + " " + unit
	if n != 1 {
		s += "s"
	}
	return s
}

// capitalize turns a shared error description into a sentence.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// actingFor is, for a session a token exchange started (a service acting
// for the user), the application of the login it acts from, among the
// user's sessions; "" for a login or a service acting from a personal
// token (sessionRow.FromToken).
func (p *Pages) actingFor(r *http.Request, sessions []storage.Session, s storage.Session) string {
	if s.ParentID == "" {
		return ""
	}
	for _, parent := range sessions {
		if parent.ID == s.ParentID {
			return p.clientName(r, parent.ClientID)
		}
	}
	return "ended"
}
