package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// The README's configuration table is `fieldlog help`'s, row for row: an
// operator reading either learns every variable the program reads.
func TestReadmeListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), settingsTable()) {
		t.Errorf("README.md's configuration table is not `fieldlog help`'s; put this in it:\n%s", settingsTable())
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, world{getenv: getenv(nil), stdout: &out, stderr: &out}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), settingsTable()) {
		t.Errorf("help does not print the settings:\n%s", out.String())
	}
}

// Every variable the program reads is in the table: a getenv that records
// the names asked for, through a whole start up to the missing token.
func TestEverySettingReadIsListed(t *testing.T) {
	asked := map[string]bool{}
	env := func(k string) string { asked[k] = true; return "" }
	if _, err := readConfig(env); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, s := range settings {
		listed[s.name] = true
	}
	for k := range asked {
		if !listed[k] {
			t.Errorf("%s is read but not in the settings table", k)
		}
	}
	for k := range listed {
		if !asked[k] {
			t.Errorf("%s is in the settings table but never read", k)
		}
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, world{getenv: getenv(nil), stdout: &out, stderr: &out}); err != nil {
		t.Fatal(err)
	}
	ver, rev := versionInfo()
	if want := "fieldlog " + ver + " (commit " + rev + ")\n"; out.String() != want {
		t.Errorf("version printed %q, want %q", out.String(), want)
	}
}
