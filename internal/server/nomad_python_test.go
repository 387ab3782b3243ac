package server_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The NOMAD seed's Python snippets, run by Python's requests with only the
// base URL changed.
const nomadSnippet = `
import requests
import json

response = requests.get(
    'BASE/api/v1/auth/token',
    params=dict(username='USER', password='PASSWORD')
)

token = response.json()['access_token']

response = requests.get(
'BASE/api/v1/auth/app_token?expires_in=86400',
headers={'Authorization': f'Bearer {token}'})
app_token = response.json()['access_token']

me = requests.get('BASE/api/v1/users/me', headers={'Authorization': f'Bearer {app_token}'}).json()
print(json.dumps({"username": me["username"], "app_token": app_token.startswith("hubauth_pat_")}))
`

func TestNomadPythonSnippets(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil || exec.Command(python, "-c", "import requests").Run() != nil {
		t.Skip("python3 with requests is not installed: the Go twin TestNomadSnippets covers the same requests")
	}
	h := newHub(t)
	script := strings.NewReplacer("BASE", h.URL, "USER", demoUser, "PASSWORD", demoPassword).Replace(nomadSnippet)
	out, err := exec.Command(python, "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), `{"username": "ada", "app_token": true}`; got != want {
		t.Fatalf("snippet printed %s, want %s", got, want)
	}
}
