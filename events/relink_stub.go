//go:build !connectkit_relink_events

package events

import (
	"context"
	"time"
)

// applyRelink reports Financial Connections events unhandled until the
// relink side of issue 14 lands (events/relink.go, build tag
// connectkit_relink_events). The lead deletes this file at merge.
func (h *Handler) applyRelink(_ context.Context, r Report, _ Event, _ time.Time) (Report, error) {
	return unhandled(r, "Financial Connections events are not wired in this build"), nil
}
