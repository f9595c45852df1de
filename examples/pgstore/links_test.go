package pgstore_test

import (
	"testing"

	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/links/linkstest"
)

func TestLinkStore_Conformance(t *testing.T) {
	linkstest.TestStore(t, func(t *testing.T) links.Store {
		return pgstore.NewLinkStore(newDB(t))
	})
}
