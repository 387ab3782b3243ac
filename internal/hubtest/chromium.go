package hubtest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package puts the browser.
const ChromiumPath = "/usr/bin/chromium"

// Chromium starts a headless Chromium with a fresh profile and returns a
// context to drive its first tab for at most limit; the test is skipped
// without Chromium.
func Chromium(t testing.TB, limit time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Skipf("no %s (install Debian's chromium package): skipping the real-browser test", ChromiumPath)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(ChromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelLimit := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelLimit(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Screenshot sets the viewport and, when $HUBAUTH_SCREENSHOTS names a
// directory, saves a PNG of the page there as name: the whole page, or
// with a height below 0 only the viewport (|height| high) as it is
// scrolled.
func Screenshot(t testing.TB, ctx context.Context, name string, width, height int64) {
	t.Helper()
	shoot := chromedp.FullScreenshot(100) // quality 100: PNG
	if height < 0 {
		height, shoot = -height, chromedp.CaptureScreenshot()
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("viewport for %s: %v", name, err)
	}
	dir := os.Getenv("HUBAUTH_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, shoot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", filepath.Join(dir, name))
}

// Console collects what the tab of ctx logs from warnings up (console
// warnings and errors, exceptions, the browser's own log: a resource the
// Content-Security-Policy blocks, a failed request); the function it
// returns reads the messages so far.
func Console(ctx context.Context) func() []string {
	var mu sync.Mutex
	var logged []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleDebug, chromedp.ConsoleLog, chromedp.ConsoleInfo:
				continue
			}
			mu.Lock()
			logged = append(logged, m.String()+" ("+m.URL+")")
			mu.Unlock()
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), logged...)
	}
}

// Popup runs click in the tab of ctx and returns a context for the window
// it opens whose address starts with prefix (a login page that a page
// opens with window.open).
func Popup(t testing.TB, ctx context.Context, prefix string, click chromedp.Action[chromedp.Void]) context.Context {
	t.Helper()
	before, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatalf("list the browser's windows: %v", err)
	}
	known := map[target.ID]bool{}
	for _, info := range before {
		known[info.TargetID] = true
	}
	if err := chromedp.Do(ctx, click); err != nil {
		t.Fatalf("click to open a window: %v", err)
	}
	// Poll the browser's targets: a window opened on the page's own origin
	// may be attached at once, so WaitNewTarget would not report it.
	for {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatalf("no window at %s opened: %v", prefix, err)
		}
		for _, info := range infos {
			if !known[info.TargetID] && info.Type == "page" && strings.HasPrefix(info.URL, prefix) {
				popup, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
				t.Cleanup(cancel)
				return popup
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no window at %s opened: %v (windows: %s)", prefix, ctx.Err(), describe(infos))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func describe(infos []*target.Info) string {
	var out []string
	for _, info := range infos {
		out = append(out, string(info.Type)+" "+info.URL)
	}
	return strings.Join(out, ", ")
}
