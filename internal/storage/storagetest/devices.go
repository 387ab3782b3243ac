package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var deviceAuthTests = []subtest{
	{"DeviceAuthCRUD", testDeviceAuthCRUD},
	{"DeviceAuthUserCodeReuse", testDeviceAuthUserCodeReuse},
	{"ConsumeDeviceAuth", testConsumeDeviceAuth},
}

// newDeviceAuth is a pending authorization created at created, living ten
// minutes.
func newDeviceAuth(deviceCodeHash, userCode string, created time.Time) storage.DeviceAuth {
	return storage.DeviceAuth{
		DeviceCodeHash: deviceCodeHash,
		UserCode:       userCode,
		ClientID:       "hubauth-cli",
		Scopes:         []string{"openid", "offline_access"},
		State:          storage.DevicePending,
		SessionName:    "ssh to the cluster",
		Resources:      []string{"https://data.example.org", "https://compute.example.org"},
		CreatedAt:      created,
		ExpiresAt:      created.Add(10 * time.Minute),
	}
}

// approve is an update callback that approves for user u-1.
func approve(d storage.DeviceAuth) (storage.DeviceAuth, error) {
	d.State, d.UserID, d.AuthTime, d.AMR = storage.DeviceApproved, "u-1", at(time.Minute), []string{"pwd"}
	return d, nil
}

func testDeviceAuthCRUD(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	d := newDeviceAuth("dc-1", "BCDFGHJK", at(0))
	must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, d))
	got, err := s.GetDeviceAuthByDeviceCode(ctx, "dc-1")
	checkErr(t, "GetDeviceAuthByDeviceCode", err, nil)
	diff(t, "GetDeviceAuthByDeviceCode", got, d)
	got, err = s.GetDeviceAuthByUserCode(ctx, "BCDFGHJK")
	checkErr(t, "GetDeviceAuthByUserCode", err, nil)
	diff(t, "GetDeviceAuthByUserCode", got, d)
	_, err = s.GetDeviceAuthByDeviceCode(ctx, "none")
	checkErr(t, "GetDeviceAuthByDeviceCode(unknown)", err, storage.ErrNotFound)
	_, err = s.GetDeviceAuthByUserCode(ctx, "ZZZZZZZZ")
	checkErr(t, "GetDeviceAuthByUserCode(unknown)", err, storage.ErrNotFound)

	want, _ := approve(d)
	checkErr(t, "UpdateDeviceAuth", s.UpdateDeviceAuth(ctx, "BCDFGHJK", approve), nil)
	if err := s.UpdateDeviceAuth(ctx, "BCDFGHJK", refuse[storage.DeviceAuth]); err != errUpdate {
		t.Errorf("UpdateDeviceAuth(failing callback) = %v, want the callback's error unchanged", err)
	}
	got, err = s.GetDeviceAuthByDeviceCode(ctx, "dc-1")
	checkErr(t, "GetDeviceAuthByDeviceCode", err, nil)
	diff(t, "device auth after updates", got, want)
	checkErr(t, "UpdateDeviceAuth(unknown)", s.UpdateDeviceAuth(ctx, "ZZZZZZZZ", approve), storage.ErrNotFound)
}

func testDeviceAuthUserCodeReuse(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	old := newDeviceAuth("dc-1", "BCDFGHJK", at(0))
	must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, old))

	live := newDeviceAuth("dc-2", "BCDFGHJK", at(5*time.Minute))
	checkErr(t, "CreateDeviceAuth(user code of a live authorization)", s.CreateDeviceAuth(ctx, live), storage.ErrAlreadyExists)
	sameDevice := newDeviceAuth("dc-1", "LMNPQRST", at(5*time.Minute))
	checkErr(t, "CreateDeviceAuth(same device code)", s.CreateDeviceAuth(ctx, sameDevice), storage.ErrAlreadyExists)

	next := newDeviceAuth("dc-3", "BCDFGHJK", old.ExpiresAt)
	checkErr(t, "CreateDeviceAuth(user code of an expired authorization)", s.CreateDeviceAuth(ctx, next), nil)
	got, err := s.GetDeviceAuthByUserCode(ctx, "BCDFGHJK")
	checkErr(t, "GetDeviceAuthByUserCode", err, nil)
	diff(t, "GetDeviceAuthByUserCode after reuse", got, next)
	_, err = s.GetDeviceAuthByDeviceCode(ctx, "dc-1")
	checkErr(t, "GetDeviceAuthByDeviceCode(replaced)", err, storage.ErrNotFound)
}

func testConsumeDeviceAuth(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, newDeviceAuth("dc-1", "BCDFGHJK", at(0))))
	must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, newDeviceAuth("dc-2", "LMNPQRST", at(0))))
	_, err := s.ConsumeDeviceAuth(ctx, "dc-1")
	checkErr(t, "ConsumeDeviceAuth(pending)", err, storage.ErrNotFound)
	_, err = s.ConsumeDeviceAuth(ctx, "none")
	checkErr(t, "ConsumeDeviceAuth(unknown)", err, storage.ErrNotFound)
	must(t, "UpdateDeviceAuth", s.UpdateDeviceAuth(ctx, "LMNPQRST", func(d storage.DeviceAuth) (storage.DeviceAuth, error) {
		d.State = storage.DeviceDenied
		return d, nil
	}))
	_, err = s.ConsumeDeviceAuth(ctx, "dc-2")
	checkErr(t, "ConsumeDeviceAuth(denied)", err, storage.ErrNotFound)

	must(t, "UpdateDeviceAuth", s.UpdateDeviceAuth(ctx, "BCDFGHJK", approve))
	want, _ := approve(newDeviceAuth("dc-1", "BCDFGHJK", at(0)))
	want.State = storage.DeviceConsumed
	got, err := s.ConsumeDeviceAuth(ctx, "dc-1")
	checkErr(t, "ConsumeDeviceAuth(approved)", err, nil)
	diff(t, "ConsumeDeviceAuth", got, want)
	_, err = s.ConsumeDeviceAuth(ctx, "dc-1")
	checkErr(t, "ConsumeDeviceAuth(again)", err, storage.ErrNotFound)
	got, err = s.GetDeviceAuthByDeviceCode(ctx, "dc-1")
	checkErr(t, "GetDeviceAuthByDeviceCode", err, nil)
	diff(t, "device auth after ConsumeDeviceAuth", got, want)
}
