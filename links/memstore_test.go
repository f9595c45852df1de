package links_test

import (
	"testing"

	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/links/linkstest"
)

func TestMemoryStore(t *testing.T) {
	linkstest.TestStore(t, func(*testing.T) links.Store { return links.NewMemoryStore() })
}
