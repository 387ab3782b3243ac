// Command load drives a running hubauth server (or any OAuth 2.0 provider
// for the standard scenarios) with one load scenario for a bounded time and
// prints throughput, latency percentiles and errors.
//
//	go run ./bench/load --scenario refresh --username demo --password-file pw
//
// Scenarios: client_credentials, refresh, password, device_poll,
// pat_userinfo (hubauth's /api/v1/users/me with a personal token) and
// introspect (RFC 7662, by a resource server). `load seed --db FILE` fills
// a hub's SQLite database with users, sessions and personal tokens instead. It exits 0
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
	"runtime/pprof"
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
// a table, or JSON with --json; or, for "seed", runs runSeed. Messages go
// to stderr.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "seed" {
		return runSeed(ctx, args[1:], stdout, stderr)
	}
	opts, err := parseFlags(args, stdin, stderr)
	if errors.Is(err, errHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return exitUsage
	}
	res, err := profiled(opts.CPUProfile, func() (Result, error) { return run(ctx, opts.Config, stderr) })
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
	case "introspect":
		return runIntrospect(ctx, hc, ep, cfg)
	case "device_poll":
		if ep.DeviceAuthorization == "" {
			return Result{}, errors.New("discovery: no device_authorization_endpoint")
		}
		return runDevicePoll(ctx, hc, ep, cfg), nil
	}
	return Result{}, fmt.Errorf("unknown scenario %q", cfg.Scenario)
}

// profiled runs f, recording a CPU profile of this process to file when
// file is not empty: the load tool's share of a machine it shares with the
// server is part of what a run measures.
func profiled(file string, f func() (Result, error)) (Result, error) {
	if file == "" {
		return f()
	}
	out, err := os.Create(file)
	if err != nil {
		return Result{}, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return Result{}, fmt.Errorf("cpu profile: %w", err)
	}
	res, err := f()
	pprof.StopCPUProfile()
	if cerr := out.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("cpu profile: %w", cerr)
	}
	return res, err
}
