// Package secret holds a value where reflection-based printers cannot
// reach it: inside a closure. fmt (for a value held in an unexported field,
// where it cannot call the holder's String or Format methods), go-cmp's
// reporter and any other printer working by reflection see a func, and
// print only its address, never the value it returns.
//
// It is the technique links.Token uses for its secret, as a tiny generic
// type for the other packages that hold personal data.
package secret

// Value holds a T out of reach of reflection. The zero Value holds
// nothing; Get returns T's zero value for it. A Value is immutable and safe
// to copy and to share between goroutines when T is.
type Value[T any] struct {
	get func() T
}

// New returns a Value holding v.
func New[T any](v T) Value[T] { return Value[T]{get: func() T { return v }} }

// Get returns the value held, or T's zero value for the zero Value.
func (s Value[T]) Get() T {
	if s.get == nil {
		var zero T
		return zero
	}
	return s.get()
}

// IsZero reports whether s is the zero Value (it holds nothing; New of a
// zero T is not the zero Value).
func (s Value[T]) IsZero() bool { return s.get == nil }
