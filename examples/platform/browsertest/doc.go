// Package browsertest holds the reference platform's browser smoke test:
// headless Chromium, driven with chromedp, opens an account link's landing
// page, presses its button and lands on the collection page. It is its own
// module, so that connectkit gains no dependency on chromedp.
//
// The test is skipped when no Chromium is installed, except under CI=true,
// where a missing browser fails it. .ci/run installs the Debian package
// chromium when it can.
package browsertest
