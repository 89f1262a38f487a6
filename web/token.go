package web

import (
	"crypto/rand"
	"encoding/base64"
)

// tokenBytes is the entropy of a session's or link's token: 256 bits, so
// that guessing one is hopeless even without the rate limits.
const tokenBytes = 32

// NewToken returns a fresh random token for a session cookie or a sign-in
// link, URL-safe as it is. Stores keep only fieldlog.HashToken of it.
func NewToken() string {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}
