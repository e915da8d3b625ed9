package kindcluster

import (
	"fmt"
	"os"
	"strings"
	"time"

	"sigs.k8s.io/kind/pkg/log"
)

// kindLogger prints kind's status lines ("Starting control-plane") with a
// timestamp and drops its verbose chatter.
type kindLogger struct{}

var started = time.Now()

func (kindLogger) Warn(message string) { kindPrint("warning: " + message) }
func (kindLogger) Warnf(format string, args ...any) {
	kindPrint("warning: " + fmt.Sprintf(format, args...))
}
func (kindLogger) Error(message string) { kindPrint("error: " + message) }
func (kindLogger) Errorf(format string, args ...any) {
	kindPrint("error: " + fmt.Sprintf(format, args...))
}
func (kindLogger) V(level log.Level) log.InfoLogger { return infoLogger(level == 0) }

type infoLogger bool

func (l infoLogger) Info(message string) {
	if l {
		kindPrint(message)
	}
}
func (l infoLogger) Infof(format string, args ...any) { l.Info(fmt.Sprintf(format, args...)) }
func (l infoLogger) Enabled() bool                    { return bool(l) }

func kindPrint(msg string) {
	msg = strings.TrimSpace(msg)
	if msg != "" {
		fmt.Fprintf(os.Stderr, "[kind +%s] %s\n", time.Since(started).Round(time.Second), msg)
	}
}
