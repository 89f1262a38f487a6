package storage

import (
	"cmp"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Documents returns every document of every collection of s, system.*
// excepted, each collection's sorted by _id, as the server holds them:
// what the tests of backups compare. It is for this package's tests only.
func Documents(t testing.TB, s *Store) map[string][]bson.Raw {
	t.Helper()
	ctx := t.Context()
	names, err := s.collectionNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]bson.Raw{}
	for _, name := range names {
		cur, err := s.db.Collection(name).Find(ctx, bson.D{})
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		docs := []bson.Raw{}
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		slices.SortFunc(docs, func(a, b bson.Raw) int { return cmp.Compare(a.Lookup("_id").String(), b.Lookup("_id").String()) })
		out[name] = docs
	}
	return out
}
