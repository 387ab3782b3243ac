package admin_test

import (
	"context"
	"testing"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestAddUser(t *testing.T) {
	ctx := context.Background()
	a, s := newAdmin(t)
	u, err := a.AddUser(ctx, admin.NewUser{Username: "ada", Email: "ada@example.org", Admin: true}, "pw")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GetUserByUsername(ctx, "ada")
	if err != nil || got.ID != u.ID || u.ID == "" || got.PasswordHash == "" || got.PasswordHash == "pw" || !got.Admin || !got.EmailVerified {
		t.Errorf("stored user = %+v, %v; want ada with a new id, a hashed password and its address verified (set by an administrator)", got, err)
	}
	if e := lastAudit(t, s); e.Type != storage.AuditAdmin || e.UserID != u.ID || e.Detail != "add user ada (admin)" {
		t.Errorf("audit = %+v, want add user ada (admin)", e)
	}
	_, err = a.AddUser(ctx, admin.NewUser{Username: "ada"}, "pw")
	wantErr(t, "again", err, `user "ada" already exists`, storage.ErrAlreadyExists)
}

func TestAddUserRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		u    admin.NewUser
		msg  string
	}{
		{"empty username", admin.NewUser{}, "username"},
		{"control character in name", admin.NewUser{Username: "bob", Name: "Bob\x07"}, "--name must not contain control characters"},
		{"bad e-mail", admin.NewUser{Username: "bob", Email: "Bob <bob@example.org>"}, "invalid e-mail address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, s := newAdmin(t)
			_, err := a.AddUser(context.Background(), tc.u, "pw")
			wantErr(t, "AddUser", err, tc.msg, admin.ErrInvalid)
			if n := auditCount(t, s); n != 0 {
				t.Errorf("%d audit events, want none", n)
			}
		})
	}
}

func TestSetPassword(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		change admin.PasswordChange
		want   string
	}{
		{"default", admin.PasswordChange{}, "ended 0 login sessions and 0 browser sessions; personal tokens kept (--revoke-tokens revokes them)"},
		{"revoke tokens", admin.PasswordChange{RevokeTokens: true}, "ended 0 login sessions, 0 browser sessions and 0 personal tokens"},
		{"keep sessions", admin.PasswordChange{KeepSessions: true}, "sessions and personal tokens kept (--keep-sessions)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, s := newAdmin(t)
			u, err := a.AddUser(ctx, admin.NewUser{Username: "ada"}, "old")
			if err != nil {
				t.Fatal(err)
			}
			got, err := a.SetPassword(ctx, "ada", "new", tc.change)
			if err != nil || got != tc.want {
				t.Errorf("SetPassword = %q, %v; want %q", got, err, tc.want)
			}
			after, _ := s.GetUserByUsername(ctx, "ada")
			if after.PasswordHash == u.PasswordHash {
				t.Error("the password hash did not change")
			}
			if e := lastAudit(t, s); e.Detail != "set password of user ada; "+tc.want {
				t.Errorf("audit detail = %q", e.Detail)
			}
		})
	}
	a, _ := newAdmin(t)
	_, err := a.SetPassword(ctx, "nobody", "pw", admin.PasswordChange{})
	wantErr(t, "unknown user", err, `no user "nobody"`, storage.ErrNotFound)
}

func TestGroupsAndScopes(t *testing.T) {
	ctx := context.Background()
	a, s := newAdmin(t)
	if _, err := a.AddUser(ctx, admin.NewUser{Username: "ada"}, "pw"); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		run    func() error
		msg    string // "" for success
		target error
		detail string // the audit detail of a success
	}{
		{"add group", func() error { return a.AddGroup(ctx, "lab") }, "", nil, "add group lab"},
		{"bad group name", func() error { return a.AddGroup(ctx, "a b") }, "group name", admin.ErrInvalid, ""},
		{"add member", func() error { return a.AddGroupMember(ctx, "lab", "ada") }, "", nil, "add user ada to group lab"},
		{"add member again", func() error { return a.AddGroupMember(ctx, "lab", "ada") }, `user "ada" is already a member of group "lab"`, storage.ErrAlreadyExists, ""},
		{"add to no group", func() error { return a.AddGroupMember(ctx, "nope", "ada") }, `no group "nope"`, storage.ErrNotFound, ""},
		{"remove member", func() error { return a.RemoveGroupMember(ctx, "lab", "ada") }, "", nil, "remove user ada from group lab"},
		{"remove non-member", func() error { return a.RemoveGroupMember(ctx, "lab", "ada") }, `user "ada" is not a member of group "lab"`, storage.ErrNotFound, ""},
		{"remove from no group", func() error { return a.RemoveGroupMember(ctx, "nope", "ada") }, `no group "nope"`, storage.ErrNotFound, ""},
		{"add scope", func() error { return a.AddScope(ctx, "uploads:write", "create uploads") }, "", nil, "add scope uploads:write"},
		{"remove built-in scope", func() error { return a.RemoveScope(ctx, "openid") }, "built into the hub", admin.ErrInvalid, ""},
		{"remove scope", func() error { return a.RemoveScope(ctx, "uploads:write") }, "", nil, "remove scope uploads:write"},
		{"remove unknown scope", func() error { return a.RemoveScope(ctx, "uploads:write") }, `no scope "uploads:write"`, storage.ErrNotFound, ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := auditCount(t, s)
			err := st.run()
			if st.msg != "" {
				wantErr(t, st.name, err, st.msg, st.target)
				if n := auditCount(t, s); n != before {
					t.Errorf("%d audit events, want %d", n, before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e := lastAudit(t, s); e.Detail != st.detail {
				t.Errorf("audit detail = %q, want %q", e.Detail, st.detail)
			}
		})
	}
}
