package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary be the fake's process too, as the command
// is: runOnce starts os.Executable() with fakeEnv set.
func TestMain(m *testing.M) {
	if os.Getenv(fakeEnv) != "" {
		if err := runFake(); err != nil {
			os.Stderr.WriteString("fieldlog-load (fake): " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSmallLoad runs a few officers through whole conversations on each
// kind of bot and checks that the instrument sees every answer and every
// record, and nothing else.
func TestSmallLoad(t *testing.T) {
	for _, c := range []config{
		{store: "memory", officers: 4, conversations: 2},
		{store: "embedded", officers: 3, conversations: 2, records: 50},
		{store: "memory", echo: true, officers: 4, conversations: 2},
	} {
		name := c.store
		if c.echo {
			name = "echo"
		}
		t.Run(name, func(t *testing.T) {
			c.runs, c.timeout, c.deadline, c.grace = 1, 30*time.Second, time.Minute, 200*time.Millisecond
			c.units = "../../deploy/units.sample.csv"
			r, err := runOnce(context.Background(), c, 0)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			r.print(&out, name)
			t.Log("\n" + out.String())
			if !r.correct() {
				t.Fatal("the run was not correct")
			}
			if want := c.officers * c.conversations * 8; r.fake.Answered != want || r.fake.Sent != want {
				t.Errorf("%d updates sent, %d answered; want %d", r.fake.Sent, r.fake.Answered, want)
			}
			if !c.echo && r.records.once != c.officers*c.conversations {
				t.Errorf("%d records saved once, want %d", r.records.once, c.officers*c.conversations)
			}
		})
	}
}
