package pgstore

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/requirements"
)

// errLossy reports an account whose requirements this adapter cannot store
// without losing something; see encodeRequirements.
var errLossy = errors.New("pgstore: requirements set cannot be stored without loss")

// accountDoc is the JSON body of an accounts row: the account's exported
// fields, except Requirements, whose state is unexported and is stored as
// a requirementsDoc instead (this field shadows the embedded one).
type accountDoc struct {
	account.Account
	Requirements requirementsDoc
}

// requirementsDoc stores a requirements.Set through its public API:
// Stripe's v1 hashes (entries, deadlines, disabled reasons), the
// capabilities each field affects, which v1 does not carry, and the
// information requests, which v1 does not carry either.
type requirementsDoc struct {
	V1                  json.RawMessage      `json:"v1,omitempty"`
	Impact              requirements.Impact  `json:"impact,omitempty"`
	InformationRequests []requirements.Entry `json:"information_requests,omitempty"`
}

// encodeRequirements returns s as a requirementsDoc, and checks that it
// decodes back to s: what the public API cannot carry (requested reasons
// other than future_requirements, for instance) is refused with errLossy
// rather than silently dropped.
func encodeRequirements(s requirements.Set) (requirementsDoc, error) {
	if s.Equal(requirements.Set{}) {
		return requirementsDoc{}, nil
	}
	v1, err := requirements.EncodeV1(s)
	if err != nil {
		return requirementsDoc{}, fmt.Errorf("pgstore: encode requirements: %w", err)
	}
	doc := requirementsDoc{V1: v1, Impact: s.Impact()}
	for _, e := range s.Entries() {
		if e.Kind == requirements.InformationRequest {
			doc.InformationRequests = append(doc.InformationRequests, e)
		}
	}
	back, err := doc.set()
	if err != nil || !back.Equal(s) {
		return requirementsDoc{}, errLossy
	}
	return doc, nil
}

// set decodes the stored form.
func (d requirementsDoc) set() (requirements.Set, error) {
	if d.V1 == nil {
		return requirements.Set{}, nil
	}
	s, err := requirements.DecodeV1(d.V1, d.Impact)
	if err != nil {
		return requirements.Set{}, err
	}
	for _, e := range d.InformationRequests {
		if err := s.Add(e); err != nil {
			return requirements.Set{}, err
		}
	}
	return s, nil
}
