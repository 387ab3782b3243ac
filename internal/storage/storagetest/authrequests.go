package storagetest

import (
	"errors"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var authRequestTests = []subtest{
	{"AuthRequestCRUD", testAuthRequestCRUD},
	{"ConsumeAuthCode", testConsumeAuthCode},
}

// newAuthRequest is a request at /authorize, not yet authenticated.
func newAuthRequest(id string) storage.AuthRequest {
	return storage.AuthRequest{
		ID:                  id,
		ClientID:            "web",
		RedirectURI:         "https://web.example.org/callback",
		Scopes:              []string{"openid", "profile", "uploads:read"},
		State:               "state-" + id,
		Nonce:               "nonce-" + id,
		ResponseType:        "code",
		ResponseMode:        "query",
		CodeChallenge:       "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		CodeChallengeMethod: "S256",
		Prompt:              []string{"login"},
		MaxAgeSeconds:       -1,
		LoginHint:           "zoe",
		ACRValues:           []string{"mfa"},
		SessionName:         "laptop",
		Resources:           []string{"https://data.example.org"},
		CreatedAt:           at(0),
		ExpiresAt:           at(10 * time.Minute),
	}
}

// withCode is a, authenticated and given the code with hash codeHash.
func withCode(a storage.AuthRequest, codeHash string) storage.AuthRequest {
	a.UserID, a.AuthTime, a.AMR = "u-1", at(time.Second), []string{"pwd"}
	a.BrowserSessionID, a.Done, a.CodeHash = "b-1", true, codeHash
	return a
}

func testAuthRequestCRUD(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	a := newAuthRequest("a-1")
	must(t, "CreateAuthRequest", s.CreateAuthRequest(ctx, a))
	checkErr(t, "CreateAuthRequest(same id)", s.CreateAuthRequest(ctx, a), storage.ErrAlreadyExists)
	got, err := s.GetAuthRequest(ctx, "a-1")
	checkErr(t, "GetAuthRequest", err, nil)
	diff(t, "GetAuthRequest", got, a)

	want := withCode(a, "code-hash-1")
	err = s.UpdateAuthRequest(ctx, "a-1", func(old storage.AuthRequest) (storage.AuthRequest, error) {
		diff(t, "UpdateAuthRequest callback argument", old, a)
		return withCode(old, "code-hash-1"), nil
	})
	checkErr(t, "UpdateAuthRequest", err, nil)
	if err := s.UpdateAuthRequest(ctx, "a-1", refuse[storage.AuthRequest]); err != errUpdate {
		t.Errorf("UpdateAuthRequest(failing callback) = %v, want the callback's error unchanged", err)
	}
	got, err = s.GetAuthRequest(ctx, "a-1")
	checkErr(t, "GetAuthRequest", err, nil)
	diff(t, "auth request after updates", got, want)

	checkErr(t, "UpdateAuthRequest(unknown)", s.UpdateAuthRequest(ctx, "none", refuse[storage.AuthRequest]), storage.ErrNotFound)
	checkErr(t, "DeleteAuthRequest", s.DeleteAuthRequest(ctx, "a-1"), nil)
	_, err = s.GetAuthRequest(ctx, "a-1")
	checkErr(t, "GetAuthRequest(deleted)", err, storage.ErrNotFound)
	checkErr(t, "DeleteAuthRequest(again)", s.DeleteAuthRequest(ctx, "a-1"), storage.ErrNotFound)
}

func testConsumeAuthCode(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	a := withCode(newAuthRequest("a-1"), "code-hash-1")
	must(t, "CreateAuthRequest", s.CreateAuthRequest(ctx, a))
	must(t, "CreateAuthRequest", s.CreateAuthRequest(ctx, newAuthRequest("a-2"))) // no code yet
	must(t, "CreateAuthRequest", s.CreateAuthRequest(ctx, newAuthRequest("a-3")))
	err := s.CreateAuthRequest(ctx, withCode(newAuthRequest("a-4"), "code-hash-1"))
	checkErr(t, "CreateAuthRequest(code hash taken)", err, storage.ErrAlreadyExists)

	_, _, err = s.ConsumeAuthCode(ctx, "unknown", at(time.Minute), nil)
	checkErr(t, "ConsumeAuthCode(unknown)", err, storage.ErrNotFound)
	_, _, err = s.ConsumeAuthCode(ctx, "", at(time.Minute), nil)
	checkErr(t, "ConsumeAuthCode(empty hash)", err, storage.ErrNotFound)

	// A check that refuses leaves the code unused (wrong client or verifier).
	refused := errors.New("refused")
	var seen storage.AuthRequest
	_, _, err = s.ConsumeAuthCode(ctx, "code-hash-1", at(time.Minute), func(a storage.AuthRequest) error {
		seen = a
		return refused
	})
	if !errors.Is(err, refused) {
		t.Errorf("ConsumeAuthCode(refusing check) = %v, want the check's error unchanged", err)
	}
	diff(t, "the request the check saw", seen, a)
	stored, err := s.GetAuthRequest(ctx, "a-1")
	checkErr(t, "GetAuthRequest", err, nil)
	diff(t, "request after a refused ConsumeAuthCode", stored, a)

	got, replay, err := s.ConsumeAuthCode(ctx, "code-hash-1", at(time.Minute), func(storage.AuthRequest) error { return nil })
	checkErr(t, "ConsumeAuthCode", err, nil)
	if replay {
		t.Errorf("ConsumeAuthCode: replay = true on first use, want false")
	}
	diff(t, "ConsumeAuthCode (the request as before)", got, a)

	used := a
	used.CodeUsedAt = at(time.Minute)
	stored, err = s.GetAuthRequest(ctx, "a-1")
	checkErr(t, "GetAuthRequest", err, nil)
	diff(t, "request after ConsumeAuthCode", stored, used)

	got, replay, err = s.ConsumeAuthCode(ctx, "code-hash-1", at(2*time.Minute), func(storage.AuthRequest) error {
		t.Error("ConsumeAuthCode called check on a replay")
		return nil
	})
	checkErr(t, "ConsumeAuthCode(replay)", err, nil)
	if !replay {
		t.Errorf("ConsumeAuthCode: replay = false on second use, want true")
	}
	diff(t, "ConsumeAuthCode(replay)", got, used)
}
