package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// InitDataMaxAge is how old a Mini App's initData may be (issue 12).
const InitDataMaxAge = time.Hour

// InitDataSkew is how far in the future auth_date may lie: the server's and
// Telegram's clocks differ a little.
const InitDataSkew = time.Minute

// Why initData was refused. ValidateInitData wraps one of these with detail.
var (
	// ErrInitDataMalformed: not a query string, a field given twice, or a
	// field that does not parse.
	ErrInitDataMalformed = errors.New("initData malformed")
	// ErrInitDataNoHash: there is no hash to check.
	ErrInitDataNoHash = errors.New("initData has no hash")
	// ErrInitDataBadHash: the hash is not the bot's signature of the data
	// (tampered, or signed for another bot).
	ErrInitDataBadHash = errors.New("initData hash does not match")
	// ErrInitDataExpired: auth_date is older than the maximum age.
	ErrInitDataExpired = errors.New("initData expired")
	// ErrInitDataFuture: auth_date lies in the future beyond InitDataSkew.
	ErrInitDataFuture = errors.New("initData from the future")
	// ErrInitDataNoUser: signed, but names no user.
	ErrInitDataNoUser = errors.New("initData names no user")
	// ErrNoBotToken: there is no bot token to check against.
	ErrNoBotToken = errors.New("no bot token")
)

// TelegramUser is the user a Mini App was opened by, as Telegram signed it.
type TelegramUser struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// ValidateInitData checks the initData a Telegram Mini App was opened with
// and returns its user. The data must be signed with botToken (HMAC-SHA256
// with the key HMAC-SHA256("WebAppData", botToken)) and have an auth_date
// at most maxAge before now and at most InitDataSkew after it.
//
// The query string is unescaped once, by url.ParseQuery: Telegram signs the
// unescaped values, so a name with '+' or '%' must not be unescaped again
// (go-telegram/bot's ValidateWebappRequest does, and refuses such names; it
// also compares hashes with != and ignores auth_date). Every field but hash
// is signed, "signature" (the Ed25519 one for third parties) included.
func ValidateInitData(initData, botToken string, now time.Time, maxAge time.Duration) (TelegramUser, error) {
	if botToken == "" {
		return TelegramUser{}, fmt.Errorf("validate initData: %w", ErrNoBotToken)
	}
	q, err := url.ParseQuery(initData)
	if err != nil {
		return TelegramUser{}, fmt.Errorf("validate initData: %w: %v", ErrInitDataMalformed, err)
	}
	hashes := q["hash"]
	if len(hashes) == 0 || hashes[0] == "" {
		return TelegramUser{}, fmt.Errorf("validate initData: %w", ErrInitDataNoHash)
	}
	keys := make([]string, 0, len(q))
	for k, vs := range q {
		// A field given twice is refused: which of the two was signed
		// would be a guess, and data from Telegram never repeats one.
		if len(vs) != 1 {
			return TelegramUser{}, fmt.Errorf("validate initData: %w: field %q given %d times", ErrInitDataMalformed, k, len(vs))
		}
		if k != "hash" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + q.Get(k)
	}
	want, err := hex.DecodeString(hashes[0])
	if err != nil {
		return TelegramUser{}, fmt.Errorf("validate initData: %w: hash is not hex", ErrInitDataBadHash)
	}
	if !hmac.Equal(signInitData(strings.Join(pairs, "\n"), botToken), want) {
		return TelegramUser{}, fmt.Errorf("validate initData: %w", ErrInitDataBadHash)
	}

	// Signed: what follows is Telegram's word, checked for freshness.
	authDate, err := strconv.ParseInt(q.Get("auth_date"), 10, 64)
	if err != nil {
		return TelegramUser{}, fmt.Errorf("validate initData: %w: auth_date %q", ErrInitDataMalformed, q.Get("auth_date"))
	}
	signed := time.Unix(authDate, 0)
	if age := now.Sub(signed); age > maxAge {
		return TelegramUser{}, fmt.Errorf("validate initData: %w: signed %s ago, at most %s allowed", ErrInitDataExpired, age.Round(time.Second), maxAge)
	} else if -age > InitDataSkew {
		return TelegramUser{}, fmt.Errorf("validate initData: %w: signed %s ahead of the server's clock", ErrInitDataFuture, (-age).Round(time.Second))
	}
	raw := q.Get("user")
	if raw == "" {
		return TelegramUser{}, fmt.Errorf("validate initData: %w", ErrInitDataNoUser)
	}
	var u TelegramUser
	if err := json.Unmarshal([]byte(raw), &u); err != nil {
		return TelegramUser{}, fmt.Errorf("validate initData: %w: user: %v", ErrInitDataMalformed, err)
	}
	if u.ID == 0 {
		return TelegramUser{}, fmt.Errorf("validate initData: %w: user without id", ErrInitDataNoUser)
	}
	return u, nil
}

// signInitData is the bot's signature of a data-check-string.
func signInitData(dataCheckString, botToken string) []byte {
	key := hmac.New(sha256.New, []byte("WebAppData"))
	key.Write([]byte(botToken))
	mac := hmac.New(sha256.New, key.Sum(nil))
	mac.Write([]byte(dataCheckString))
	return mac.Sum(nil)
}
