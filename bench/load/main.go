// Command load drives a running hubauth server (or any OAuth 2.0 provider
// for the standard scenarios) with one load scenario for a bounded time and
// prints throughput, latency percentiles and errors.
//
//	go run ./bench/load --scenario refresh --username demo --password-file pw
//
// Scenarios: client_credentials, refresh, password, device_poll and
// pat_userinfo (hubauth's /api/v1/users/me with a personal token). It exits 0
// when no request failed, 1 when some did or the run could not start, and
// 2 on bad flags.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes of Main.
const (
	exitOK    = 0
	exitError = 1 // errors during the run, or it could not start
	exitUsage = 2
)

// Main parses args, runs one scenario and writes the result to stdout:
// a table, or JSON with --json. Messages go to stderr.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stdin, stderr)
	if errors.Is(err, errHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return exitUsage
	}
	res, err := run(ctx, opts.Config, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return exitError
	}
	if opts.JSON {
		err = res.WriteJSON(stdout)
	} else {
		err = res.WriteTable(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return exitError
	}
	if res.Errors > 0 {
		fmt.Fprintf(stderr, "load: %d of %d requests failed\n", res.Errors, res.Requests)
		return exitError
	}
	return exitOK
}

// run discovers the endpoints, prepares the scenario (untimed) and runs it.
func run(ctx context.Context, cfg Config, stderr io.Writer) (Result, error) {
	hc := newHTTPClient(cfg.Concurrency)
	ep, err := discover(ctx, hc, cfg.Issuer)
	if err != nil {
		return Result{}, err
	}
	fmt.Fprintf(stderr, "load: %s against %s: %d workers, %s warm-up, %s measured\n",
		cfg.Scenario, cfg.Issuer, cfg.Concurrency, cfg.Warmup, cfg.Duration)
	switch cfg.Scenario {
	case "client_credentials":
		return runLoop(ctx, cfg, "req", clientCredentialsSteps(hc, ep, cfg)), nil
	case "password":
		return runLoop(ctx, cfg, "req", passwordSteps(hc, ep, cfg)), nil
	case "refresh":
		steps, err := refreshSteps(ctx, hc, ep, cfg)
		if err != nil {
			return Result{}, err
		}
		return runLoop(ctx, cfg, "req", steps), nil
	case "pat_userinfo":
		return runPAT(ctx, hc, ep, cfg, stderr)
	case "token_exchange":
		return runExchange(ctx, hc, ep, cfg)
	case "device_poll":
		if ep.DeviceAuthorization == "" {
			return Result{}, errors.New("discovery: no device_authorization_endpoint")
		}
		return runDevicePoll(ctx, hc, ep, cfg), nil
	}
	return Result{}, fmt.Errorf("unknown scenario %q", cfg.Scenario)
}
