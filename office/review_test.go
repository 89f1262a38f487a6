package office_test

import (
	"context"
	"errors"
	"testing"

	"fieldlog"
	"fieldlog/office"
)

// states is the states of a record's review thread, oldest first.
func states(t *testing.T, w *world, id fieldlog.ActivityID) (fieldlog.ReviewState, []fieldlog.ReviewState) {
	t.Helper()
	a, err := w.store.Activity(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []fieldlog.ReviewState
	for _, n := range a.Review.Thread {
		out = append(out, n.State)
	}
	return a.Review.State, out
}

func equalStates(t *testing.T, what string, got, want []fieldlog.ReviewState) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: thread %v, want %v", what, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: thread %v, want %v", what, got, want)
			return
		}
	}
}

// Two confirms at once (a second tap, or the chat and the web) answer the
// return once: one note, one message to the coordinator, one audit entry;
// the other is refused as a confirm of a record no longer returned.
func TestTwoConfirmsAtOnceAnswerOnce(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.logged(officer, "a")
	if _, err := w.office.Return(ctx, coord, "a", "人数请核实"); err != nil {
		t.Fatal(err)
	}
	var second error
	w.gap.After(func() { _, second = w.office.Confirm(ctx, officer, "a", fieldlog.AnyThread) })
	_, first := w.office.Confirm(ctx, officer, "a", fieldlog.AnyThread)
	if second != nil {
		t.Fatalf("the confirm that wrote first: %v", second)
	}
	if !errors.Is(first, office.ErrNotPending) {
		t.Errorf("the confirm that read before the other wrote: %v, want ErrNotPending", first)
	}
	state, thread := states(t, w, "a")
	if state != fieldlog.Confirmed {
		t.Errorf("state %s", state)
	}
	equalStates(t, "two confirms", thread, []fieldlog.ReviewState{fieldlog.Returned, fieldlog.Confirmed})
	if got := w.told.kinds(); got != "returned>巴特 confirmed>王" {
		t.Errorf("told %q", got)
	}
	es, _ := w.store.AuditOf(ctx, fieldlog.RecordSubject("a"), 0)
	if len(es) != 3 { // create, return, one confirm
		t.Errorf("audit: %d entries", len(es))
	}
}

// An edit answers the return its reporter saw, not one made while the
// edit was on its way: returned again meanwhile, the record stays returned
// (the new comment waits for an answer); answered meanwhile (confirmed in
// the other window), it is not answered twice. The edit itself is stored.
func TestAnEditAnswersOnlyTheReturnItRead(t *testing.T) {
	for _, tc := range []struct {
		name      string
		meanwhile func(w *world) error
		state     fieldlog.ReviewState
		thread    []fieldlog.ReviewState
		told      string
	}{{
		name: "returned again",
		meanwhile: func(w *world) error {
			_, err := w.office.Return(context.Background(), coord, "a", "日期也请核实")
			return err
		},
		state:  fieldlog.Returned,
		thread: []fieldlog.ReviewState{fieldlog.Returned, fieldlog.Returned},
		told:   "returned>巴特 returned>巴特",
	}, {
		name: "confirmed",
		meanwhile: func(w *world) error {
			_, err := w.office.Confirm(context.Background(), officer, "a", fieldlog.AnyThread)
			return err
		},
		state:  fieldlog.Confirmed,
		thread: []fieldlog.ReviewState{fieldlog.Returned, fieldlog.Confirmed},
		told:   "returned>巴特 confirmed>王",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			ctx := context.Background()
			w.logged(officer, "a")
			if _, err := w.office.Return(ctx, coord, "a", "人数请核实"); err != nil {
				t.Fatal(err)
			}
			edit, _ := w.store.Activity(ctx, "a")
			edit.Participants = fieldlog.Count{Value: 60}
			var meanwhile error
			w.gap.After(func() { meanwhile = tc.meanwhile(w) })
			got, err := w.office.Edit(ctx, officer, edit, fieldlog.AnyThread)
			if meanwhile != nil {
				t.Fatalf("meanwhile: %v", meanwhile)
			}
			if err != nil {
				t.Fatalf("edit: %v", err)
			}
			if got.Review.State != tc.state {
				t.Errorf("the edit gives the review as %s, want %s as stored", got.Review.State, tc.state)
			}
			state, thread := states(t, w, "a")
			if state != tc.state {
				t.Errorf("state %s, want %s", state, tc.state)
			}
			equalStates(t, tc.name, thread, tc.thread)
			if stored, _ := w.store.Activity(ctx, "a"); stored.Participants.Value != 60 {
				t.Errorf("the edit is lost: %+v", stored.Participants)
			}
			if got := w.told.kinds(); got != tc.told {
				t.Errorf("told %q, want %q", got, tc.told)
			}
		})
	}
}

// A confirm read before the record was returned again does not answer the
// new return, whose comment its reporter has not seen: it is refused, and
// the record stays returned.
func TestAConfirmDoesNotAnswerAReturnMadeMeanwhile(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.logged(officer, "a")
	if _, err := w.office.Return(ctx, coord, "a", "人数请核实"); err != nil {
		t.Fatal(err)
	}
	var again error
	w.gap.After(func() { _, again = w.office.Return(ctx, coord, "a", "日期也请核实") })
	got, err := w.office.Confirm(ctx, officer, "a", fieldlog.AnyThread)
	if again != nil {
		t.Fatal(again)
	}
	if !errors.Is(err, office.ErrReturnedAgain) || !got.Review.Pending() {
		t.Errorf("confirm: %+v %v, want the record returned and ErrReturnedAgain", got.Review, err)
	}
	state, thread := states(t, w, "a")
	if state != fieldlog.Returned {
		t.Errorf("state %s", state)
	}
	equalStates(t, "returned again", thread, []fieldlog.ReviewState{fieldlog.Returned, fieldlog.Returned})
	if got := w.told.kinds(); got != "returned>巴特 returned>巴特" {
		t.Errorf("told %q", got)
	}
}

// A confirm counts the notes its reporter was shown: one shown before a
// new return answers nothing.
func TestAConfirmAnswersTheReturnItWasShown(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.logged(officer, "a")
	for _, c := range []string{"人数请核实", "日期也请核实"} {
		if _, err := w.office.Return(ctx, coord, "a", c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := w.office.Confirm(ctx, officer, "a", 1)
	if !errors.Is(err, office.ErrReturnedAgain) || len(got.Review.Thread) != 2 {
		t.Fatalf("a confirm shown one note of two: %+v %v", got.Review, err)
	}
	if state, _ := states(t, w, "a"); state != fieldlog.Returned {
		t.Fatalf("the review is %s", state)
	}
	if _, err := w.office.Confirm(ctx, officer, "a", 2); err != nil {
		t.Errorf("a confirm shown both notes: %v", err)
	}
}

// An edit begun before the record was returned again is stored, and
// answers nothing: the new comment waits.
func TestAnEditBegunBeforeANewReturn(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.logged(officer, "a")
	if _, err := w.office.Return(ctx, coord, "a", "人数请核实"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.office.Return(ctx, coord, "a", "日期也请核实"); err != nil {
		t.Fatal(err)
	}
	a.Participants = fieldlog.Count{Value: 35}
	got, err := w.office.Edit(ctx, officer, a, 1)
	if err != nil || got.Participants.Value != 35 || !got.Review.Pending() {
		t.Fatalf("the edit: %+v %v", got, err)
	}
	if state, thread := states(t, w, "a"); state != fieldlog.Returned || len(thread) != 2 {
		t.Errorf("the review is %s %v, want the second return waiting", state, thread)
	}
	if stored, _ := w.store.Activity(ctx, "a"); stored.Participants.Value != 35 {
		t.Errorf("the edit was not stored: %+v", stored.Participants)
	}
	// Begun from the return as it stands, it answers it.
	if got, err := w.office.Edit(ctx, officer, a, 2); err != nil || got.Review.State != fieldlog.Corrected {
		t.Errorf("the edit shown both notes: %+v %v", got.Review, err)
	}
}
