package storage_test

import (
	"testing"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/storage"
)

// The SDK cannot import the server's packages, so it spells the built-in
// client's id itself: the two must stay one name.
func TestCLIClientIDIsTheSDKDefault(t *testing.T) {
	if storage.CLIClientID != client.DefaultClientID {
		t.Errorf("storage.CLIClientID = %q, client.DefaultClientID = %q: want one id", storage.CLIClientID, client.DefaultClientID)
	}
}
