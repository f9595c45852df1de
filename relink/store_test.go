package relink_test

import (
	"testing"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/relink/relinktest"
)

func TestMemStore(t *testing.T) {
	relinktest.TestStore(t, func(*testing.T) relink.Store { return relink.NewMemStore() })
}
