package admin

import (
	"context"
	"fmt"
	"strings"

	"github.com/hubauth/hubauth/internal/storage"
)

// PasswordChange is how SetPassword treats the user's sessions. Whoever
// knew the old password may have signed in with it, so by default the
// user's login and browser sessions end.
type PasswordChange struct {
	// KeepSessions leaves the user signed in where they are.
	KeepSessions bool
	// RevokeTokens revokes the user's personal tokens too.
	RevokeTokens bool
}

// SetPassword sets the password of the user with this username, ends their
// sessions as change says, and audits it. It returns what it ended, e.g.
// "ended 2 login sessions and 1 browser session; personal tokens kept
// (--revoke-tokens revokes them)", as the audit event says it.
func (a *Admin) SetPassword(ctx context.Context, username, pw string, change PasswordChange) (string, error) {
	hash, err := a.hash(ctx, pw)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	id, err := a.updateUser(ctx, username, func(u storage.User) storage.User {
		u.PasswordHash = hash
		return u
	})
	if err != nil {
		return "", err
	}
	outcome := "sessions and personal tokens kept (--keep-sessions)"
	if !change.KeepSessions {
		ended, err := a.store.EndUserSessions(ctx, id, a.now().UTC(), change.RevokeTokens)
		if err != nil {
			return "", fmt.Errorf("the password is set, but ending the user's sessions failed (run the command again): %w", err)
		}
		outcome = endedSummary(ended, change.RevokeTokens)
	}
	detail := "set password of user " + username + "; " + outcome
	return outcome, a.audit(ctx, storage.AuditEvent{UserID: id, Detail: detail})
}

// endedSummary says what EndUserSessions ended, e.g. "ended 2 login
// sessions and 1 browser session; personal tokens kept".
func endedSummary(e storage.EndedSessions, tokens bool) string {
	parts := []string{plural(e.Sessions, "login session"), plural(e.BrowserSessions, "browser session")}
	if !tokens {
		return "ended " + strings.Join(parts, " and ") + "; personal tokens kept (--revoke-tokens revokes them)"
	}
	return "ended " + strings.Join(parts, ", ") + " and " + plural(e.PersonalTokens, "personal token")
}

// plural is n with noun, plural unless n is 1.
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
