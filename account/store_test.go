package account_test

import (
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
)

func TestMemoryStore(t *testing.T) {
	accounttest.TestStore(t, func(t *testing.T) account.Store { return account.NewMemoryStore() })
}
