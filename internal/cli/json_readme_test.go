package cli

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/cli/admincmd"
)

// jsonFields lists the fields v marshals to, those of embedded structs
// included, in order.
func jsonFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous && name == "":
			out = append(out, jsonFields(f.Type)...)
		case name != "-" && f.IsExported():
			out = append(out, name)
		}
	}
	return out
}

// README's "JSON output" list names each command's --json fields, as the
// code writes them, in order.
func TestJSONOutputInREADME(t *testing.T) {
	of := func(v any, extra ...string) []string { return append(jsonFields(reflect.TypeOf(v)), extra...) }
	want := map[string][]string{
		"`status`":                         of(statusJSON{}),
		"`token`":                          of(tokenJSON{}),
		"`whoami`":                         of(whoamiJSON{}),
		"`profiles list`":                  of(profileJSON{}),
		"`tokens list`":                    of(personalTokenJSON{}),
		"`tokens create`, `tokens rotate`": of(newTokenJSON{}),
		"`sessions list`":                  of(sessionJSON{}),
		"`users show`, `groups members`":   of(hubUserJSON{}),
		"`groups list`":                    of(myGroupJSON{}),
		"`admin user list`":                of(admincmd.UserJSON{}, "factors", "recovery_codes"),
		"`admin group members`":            of(admincmd.UserJSON{}),
		"`admin group list`":               of(admincmd.GroupJSON{}),
		"`admin client list`":              of(admincmd.ClientJSON{}),
		"`admin scope list`":               of(admincmd.ScopeJSON{}),
		"`admin api list` (array), `admin api show`": of(admincmd.APIJSON{}),
		"`admin keys list`":                          of(admincmd.KeyJSON{}),
		"`admin idp list` (array), `admin idp show`": of(admincmd.IDPJSON{}),
		"`admin user identities`":                    of(admincmd.IdentityJSON{}),
		"`admin audit`":                              of(admincmd.AuditJSON{}),
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n### JSON output\n")
	section, _, _ = strings.Cut(section, "\n#")
	if !ok {
		t.Fatal(`README has no "### JSON output" section`)
	}
	line := regexp.MustCompile("(?m)^- (.+?) \\([^)]*\\): (.+)$")
	got := map[string][]string{}
	for _, m := range line.FindAllStringSubmatch(section, -1) {
		got[m[1]] = strings.Split(m[2], ", ")
	}
	for cmd, fields := range want {
		if !slices.Equal(got[cmd], fields) {
			t.Errorf("README's JSON output for %s = %q, want %q", cmd, got[cmd], fields)
		}
	}
	for cmd := range got {
		if _, ok := want[cmd]; !ok {
			t.Errorf("README lists %s, which this test does not know", cmd)
		}
	}
}
