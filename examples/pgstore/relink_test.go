package pgstore_test

import (
	"testing"

	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/relink/relinktest"
)

func TestRelinkStore_Conformance(t *testing.T) {
	relinktest.TestStore(t, func(t *testing.T) relink.Store {
		return pgstore.NewRelinkStore(newDB(t))
	})
}
