package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestNomadCheckingUploads runs the NOMAD seed's "Checking Uploads"
// snippet (testdata/checking_uploads.py, verbatim) with Python's requests,
// with only the base URLs and the credentials changed: the token from the
// hub, the uploads from the data hub. Its output must be the seed's
// (testdata/nomad_uploads.json) but for the ids, times and path.
func TestNomadCheckingUploads(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil || exec.Command(python, "-c", "import requests").Run() != nil {
		t.Skip("python3 with requests is not installed")
	}
	snippet, err := os.ReadFile("testdata/checking_uploads.py")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/nomad_uploads.json")
	if err != nil {
		t.Fatal(err)
	}
	h := newHub(t)
	ada := h.addUser(t, "ada")
	d := newDatahub(t, h)
	u := d.create(h.token(t, "ada", ""), map[string]string{"upload_name": "FAIRmat_logo.png"})

	script := strings.NewReplacer(
		"https://nomad-lab.eu/prod/v1/api/v1/auth/token", h.URL+"/api/v1/auth/token",
		"https://nomad-lab.eu/prod/v1/api/v1/uploads", d.URL+"/api/v1/uploads",
		"my_username", "ada", "my_password", testPassword,
	).Replace(string(snippet))
	out, err := exec.Command(python, "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	expected := strings.NewReplacer(
		"/nomad/prod/fs/staging/V/VWGLXmy4S2-cdeteN2Xxaw", u.UploadFilesServerPath,
		"VWGLXmy4S2-cdeteN2Xxaw", u.UploadID,
		"2024-07-16T13:57:53.459000", u.CompleteTime,
		"2024-07-16T13:57:53.308000", u.UploadCreateTime,
		"ebb26223-0cec-4d81-98f5-3b25db945b54", ada,
	).Replace(string(want))
	if got := string(out); got != expected {
		t.Errorf("the snippet printed:\n%s\nwant (the seed's output with this upload's ids and times):\n%s", got, expected)
	}
}
