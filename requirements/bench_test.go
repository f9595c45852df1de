package requirements_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/connectkit/connectkit/requirements"
)

// benchSet returns an advanced set of 100 requirements across both hashes
// and every status, with capabilities and some errors.
func benchSet(b *testing.B) requirements.Set {
	b.Helper()
	var s requirements.Set
	statuses := []requirements.Status{requirements.CurrentlyDue, requirements.EventuallyDue, requirements.PastDue, requirements.PendingVerification}
	for i := range 100 {
		e := requirements.Entry{
			Field:        fmt.Sprintf("person_%03d.verification.document", i),
			Status:       statuses[i%4],
			Future:       i%5 == 0,
			Capabilities: []requirements.Capability{requirements.CardPayments, requirements.Transfers},
		}
		if i%7 == 0 && e.Status.Due() {
			e.Errors = []requirements.Error{{Code: requirements.CodeVerificationDocumentExpired, Reason: "expired"}}
		}
		if i%9 == 0 {
			e.Kind = requirements.InformationRequest
		}
		if err := s.Add(e); err != nil {
			b.Fatal(err)
		}
	}
	_ = s.SetDeadline(false, t1)
	_ = s.SetDeadline(true, t3())
	s.Advance(t2)
	return s
}

func BenchmarkAdvance100(b *testing.B) {
	s := benchSet(b)
	now := t2
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Second)
		s.Advance(now)
	}
}

func BenchmarkActionsRequired100(b *testing.B) {
	s := benchSet(b)
	opts := requirements.ActionOptions{PlatformCollects: true}
	b.ReportAllocs()
	for b.Loop() {
		if len(s.ActionsRequiredWith(t2, opts)) == 0 {
			b.Fatal("no actions")
		}
	}
}

func BenchmarkSetMarshalJSON100(b *testing.B) {
	s := benchSet(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSetUnmarshalJSON100(b *testing.B) {
	data, err := benchSet(b).MarshalJSON()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var s requirements.Set
		if err := s.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}
