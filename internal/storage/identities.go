package storage

import "errors"

// ErrLastSignIn means an identity cannot be unlinked: it is the user's
// last way to sign in.
var ErrLastSignIn = errors.New("storage: this is the user's last way to sign in")

// CheckUnlink is the rule for unlinking an identity, the check of
// DeleteUserIdentity: a user keeps at least one way to sign in, a
// password or another identity. ids holds every identity of u, the one
// being unlinked included.
func CheckUnlink(u User, ids []UserIdentity) error {
	if u.PasswordHash == "" && len(ids) <= 1 {
		return ErrLastSignIn
	}
	return nil
}
