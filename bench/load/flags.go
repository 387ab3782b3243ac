package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// errHelp is returned by parseFlags after printing -h help.
var errHelp = flag.ErrHelp

// scenarios lists the valid --scenario values.
var scenarios = []string{"refresh", "client_credentials", "device_poll", "password", "pat_userinfo", "introspect"}

// defaultScopes are the scopes a scenario asks for when --scopes is empty.
var defaultScopes = map[string]string{
	"refresh":            "openid offline_access",
	"password":           "openid offline_access",
	"device_poll":        "openid",
	"client_credentials": "",
	"pat_userinfo":       "", // the personal token's scopes: /users/me needs none
	"introspect":         "openid",
}

// options are the parsed flags.
type options struct {
	Config
	JSON       bool
	CPUProfile string // file for the load tool's own CPU profile, if set
}

// parseFlags parses and validates args. --password-file - reads stdin.
func parseFlags(args []string, stdin io.Reader, stderr io.Writer) (options, error) {
	var o options
	var passwordFile, tokenFile string
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Issuer, "issuer", "http://127.0.0.1:8080", "issuer URL (discovery at <issuer>/.well-known/openid-configuration)")
	fs.StringVar(&o.Scenario, "scenario", "", "required: one of "+strings.Join(scenarios, " | "))
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "measured duration")
	fs.DurationVar(&o.Warmup, "warmup", time.Second, "warm-up before measuring (not counted)")
	fs.IntVar(&o.Concurrency, "concurrency", 32, "workers, and the bound on HTTP connections")
	fs.StringVar(&o.ClientID, "client-id", "", `OAuth client ID (default "hubauth-cli"; required for client_credentials)`)
	fs.StringVar(&o.ClientSecret, "client-secret", "", "client secret (client_credentials, introspect)")
	fs.StringVar(&o.Username, "username", "", "user for refresh, password and pat_userinfo")
	fs.StringVar(&o.Password, "password", "", "password for refresh and password (prefer --password-file)")
	fs.StringVar(&passwordFile, "password-file", "", `file holding the password ("-" for stdin)`)
	fs.StringVar(&tokenFile, "token-file", "", `file holding a personal token for pat_userinfo, or the token to introspect ("-" for stdin); else one is created with --username`)
	fs.StringVar(&o.Scopes, "scopes", "", "scopes, comma- or space-separated (default per scenario)")
	fs.IntVar(&o.DeviceCodes, "device-codes", 5000, "device authorizations to poll (device_poll)")
	fs.DurationVar(&o.DeviceSpread, "device-spread", 5*time.Second, "spread of the device authorizations over the start of the run")
	fs.BoolVar(&o.JSON, "json", false, "print the result as JSON")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write the load tool's own CPU profile (go tool pprof) to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if passwordFile != "" && tokenFile == "-" && passwordFile == "-" {
		return o, errors.New("--password-file and --token-file cannot both read stdin")
	}
	if passwordFile != "" {
		pw, err := readFirstLine("--password-file", passwordFile, stdin)
		if err != nil {
			return o, err
		}
		o.Password = pw
	}
	if tokenFile != "" {
		tok, err := readFirstLine("--token-file", tokenFile, stdin)
		if err != nil {
			return o, err
		}
		o.Token = tok
	}
	return o, o.complete()
}

// complete fills scenario defaults and validates the configuration.
func (o *options) complete() error {
	if !slices.Contains(scenarios, o.Scenario) {
		return fmt.Errorf("--scenario %q: want one of %s", o.Scenario, strings.Join(scenarios, ", "))
	}
	if o.Duration <= 0 || o.Warmup < 0 || o.DeviceSpread < 0 {
		return errors.New("--duration must be positive, --warmup and --device-spread not negative")
	}
	if o.Concurrency < 1 || o.DeviceCodes < 1 {
		return errors.New("--concurrency and --device-codes must be at least 1")
	}
	o.Issuer = strings.TrimSuffix(o.Issuer, "/")
	o.Scopes = strings.Join(strings.FieldsFunc(o.Scopes, func(r rune) bool { return r == ',' || r == ' ' }), " ")
	if o.Scopes == "" {
		o.Scopes = defaultScopes[o.Scenario]
	}
	switch o.Scenario {
	case "client_credentials":
		if o.ClientID == "" || o.ClientSecret == "" {
			return errors.New("client_credentials needs --client-id and --client-secret")
		}
	case "refresh", "password":
		if o.Username == "" || o.Password == "" {
			return fmt.Errorf("%s needs --username and --password or --password-file", o.Scenario)
		}
	case "pat_userinfo", "introspect":
		if o.Token == "" && (o.Username == "" || o.Password == "") {
			return fmt.Errorf("%s needs --token-file, or --username and --password or --password-file to obtain a token", o.Scenario)
		}
	}
	if o.Scenario == "introspect" && (o.ClientID == "" || o.ClientSecret == "") {
		return errors.New("introspect needs --client-id and --client-secret of a confidential client (the resource server)")
	}
	if o.Token != "" && o.Scenario != "pat_userinfo" && o.Scenario != "introspect" {
		return errors.New("--token-file is for pat_userinfo and introspect only")
	}
	if o.ClientID == "" {
		o.ClientID = "hubauth-cli"
	}
	return nil
}

// readFirstLine reads the first line of the file name ("-": stdin) that
// the flag names: a password or a token.
func readFirstLine(flagName, name string, stdin io.Reader) (string, error) {
	var b []byte
	var err error
	if name == "-" {
		b, err = io.ReadAll(stdin)
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", flagName, err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return "", fmt.Errorf("%s: empty first line", flagName)
	}
	return line, nil
}
