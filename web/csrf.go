package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"

	"fieldlog"
)

// csrfKeyBytes is the shortest server key CSRF accepts: as long as the
// HMAC's output.
const csrfKeyBytes = sha256.Size

// CSRF makes and checks the token every form carries. A token is the HMAC
// of the session's hash under a server key: a form posted from another
// site cannot carry it (it cannot read the page), it dies with the
// session, and nothing needs storing. The key is the server's; a new key
// (a restart with another one) makes open forms fail once, nothing worse.
type CSRF struct {
	key []byte
}

// ErrCSRFKeyShort: the server key is too short to be secret.
var ErrCSRFKeyShort = errors.New("CSRF key too short")

// NewCSRF returns a CSRF with the server key key, at least 32 bytes.
func NewCSRF(key []byte) (*CSRF, error) {
	if len(key) < csrfKeyBytes {
		return nil, fmt.Errorf("make CSRF tokens: %w: %d bytes, want at least %d", ErrCSRFKeyShort, len(key), csrfKeyBytes)
	}
	return &CSRF{key: append([]byte(nil), key...)}, nil
}

// Token is the CSRF token of the session with hash session, for its forms.
func (c *CSRF) Token(session fieldlog.TokenHash) string {
	return base64.RawURLEncoding.EncodeToString(c.mac(session))
}

// Valid reports whether token is the CSRF token of the session with hash
// session, comparing in constant time.
func (c *CSRF) Valid(session fieldlog.TokenHash, token string) bool {
	got, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return false
	}
	return hmac.Equal(got, c.mac(session))
}

func (c *CSRF) mac(session fieldlog.TokenHash) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte("fieldlog csrf\x00")) // the key serves no other MAC, but say what this one is for
	m.Write(session[:])
	return m.Sum(nil)
}
