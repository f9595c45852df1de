package browsertest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/examples/platform/server/servertest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
)

// chromium returns the browser's path, skipping the test when there is
// none, unless CI=true.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium on PATH under CI=true: install the Debian package chromium (.ci/run does when root)")
	}
	t.Skip("no Chromium on PATH; install the Debian package chromium to run the browser smoke test")
	return ""
}

// TestBrowser_L1_LandingButtonLeadsToCollection opens an account link's
// landing page in headless Chromium, presses the button, and lands on the
// collection page, which lists what the link collects.
func TestBrowser_L1_LandingButtonLeadsToCollection(t *testing.T) {
	exe := chromium(t)
	ctx := context.Background()
	base := servertest.Start(t, account.NewMemoryStore(), links.NewMemoryStore(), relink.NewMemoryStore())
	url := servertest.CreateDemoLink(t, base)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // containers run CI as root
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 60*time.Second)
	defer cancel()

	if err := chromedp.Do(bctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open the landing page: %v", err)
	}
	heading, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || heading != "Set up your account" {
		t.Fatalf("landing page heading %q, %v", heading, err)
	}
	if err := chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("ul")),
	); err != nil {
		t.Fatalf("press the button: %v", err)
	}
	landed, err := chromedp.Run(bctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(landed, "/onboarding") || !strings.Contains(body, "individual.dob.day") || !strings.Contains(body, "Tell us about your business") {
		t.Fatalf("landed on %s showing %q, want the collection page", landed, body)
	}
}
