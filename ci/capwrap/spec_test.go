package main

import (
	"encoding/json"
	"testing"

	"gotest.tools/v3/assert"
)

func TestCapsInMaskSkipsMissingBit(t *testing.T) {
	caps := capsInMask(0x000001fffeffffff) // bit 24 (CAP_SYS_RESOURCE) clear
	assert.Assert(t, caps["CAP_SYS_ADMIN"])
	assert.Assert(t, !caps["CAP_SYS_RESOURCE"])
}

func TestFilterSpecRemovesOnlyUnholdable(t *testing.T) {
	raw := []byte(`{"ociVersion":"1.0","process":{"rlimits":[{"type":"RLIMIT_NOFILE","hard":18446744073709551615}],
	"capabilities":{"bounding":["CAP_SYS_ADMIN","CAP_SYS_RESOURCE"],"effective":["CAP_SYS_RESOURCE"]}}}`)
	out, changed, err := filterSpec(raw, true, map[string]bool{"CAP_SYS_ADMIN": true})
	assert.NilError(t, err)
	assert.Assert(t, changed)
	var doc struct {
		Process struct {
			Rlimits []struct {
				Hard json.Number `json:"hard"`
			} `json:"rlimits"`
			Capabilities map[string][]string `json:"capabilities"`
		} `json:"process"`
	}
	assert.NilError(t, json.Unmarshal(out, &doc))
	assert.DeepEqual(t, doc.Process.Capabilities["bounding"], []string{"CAP_SYS_ADMIN"})
	assert.DeepEqual(t, doc.Process.Capabilities["effective"], []string{})
	assert.Equal(t, doc.Process.Rlimits[0].Hard.String(), "18446744073709551615")
}

func TestFilterSpecUnchangedWhenAllHeld(t *testing.T) {
	raw := []byte(`{"capabilities":{"bounding":["CAP_KILL"]}}`)
	out, changed, err := filterSpec(raw, false, map[string]bool{"CAP_KILL": true})
	assert.NilError(t, err)
	assert.Assert(t, !changed)
	assert.Equal(t, string(out), string(raw))
}

func TestSubcommandAndOptions(t *testing.T) {
	sub, opts := subcommand([]string{"--root", "/run/r", "--log", "/x", "--systemd-cgroup", "create", "--bundle=/b", "id"})
	assert.Equal(t, sub, "create")
	assert.Equal(t, optionValue(opts, "bundle", "b"), "/b")
	sub, opts = subcommand([]string{"exec", "-p", "/tmp/p.json", "id"})
	assert.Equal(t, sub, "exec")
	assert.Equal(t, optionValue(opts, "process", "p"), "/tmp/p.json")
}
