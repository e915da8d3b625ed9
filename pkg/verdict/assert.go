package verdict

import (
	"fmt"
	"testing"
)

// Errorf fails t (a claim's step or set-up) and keeps the message as the
// claim's reason for failed, so the report says what went wrong.
func Errorf(t *testing.T, format string, args ...any) {
	t.Helper()
	note(t, fmt.Sprintf(format, args...))
	t.Errorf(format, args...)
}

// Fatalf is Errorf and ends the step.
func Fatalf(t *testing.T, format string, args ...any) {
	t.Helper()
	note(t, fmt.Sprintf(format, args...))
	t.Fatalf(format, args...)
}

// Error is Errorf of the values, as t.Error prints them.
func Error(t *testing.T, args ...any) {
	t.Helper()
	note(t, fmt.Sprint(args...))
	t.Error(args...)
}

// Fatal is Fatalf of the values, as t.Fatal prints them.
func Fatal(t *testing.T, args ...any) {
	t.Helper()
	note(t, fmt.Sprint(args...))
	t.Fatal(args...)
}

func note(t *testing.T, msg string) {
	if c := checkOf(t); c != nil {
		c.failure(msg)
	}
}
