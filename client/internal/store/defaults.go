package store

// SetDefault makes profile the default profile of server: the session
// marked Default, used when a command names no profile. The mark is kept
// in the session's entry of the sessions file ("default": true), which
// readers that do not know it ignore; it goes with the session when the
// session is deleted. SetDefault reports false, and changes nothing, when
// no session is stored for server and profile.
func (s *Store) SetDefault(server, profile string) (bool, error) {
	k, err := newKey(server, profile)
	if err != nil {
		return false, err
	}
	var found bool
	err = s.modify(func(all sessions) (bool, error) {
		if _, found = all[k.server][k.profile]; !found {
			return false, nil
		}
		for p, sess := range all[k.server] {
			sess.Default = p == k.profile
			all[k.server][p] = sess
		}
		return true, nil
	})
	return found && err == nil, err
}
