package pgstore_test

import (
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/examples/pgstore"
)

func TestAccountStore_Conformance(t *testing.T) {
	accounttest.TestStore(t, func(t *testing.T) account.Store {
		return pgstore.NewAccountStore(newDB(t))
	})
}
