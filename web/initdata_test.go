package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	testToken  = "7000000001:AAH-test-token_for_fieldlog"
	otherToken = "7000000002:AAH-another-bots-token"
)

var signedAt = time.Date(2025, 6, 18, 9, 0, 0, 0, time.UTC)

// sign returns fields as Telegram sends them, with the hash of their
// data-check-string under token, computed here step by step as Telegram's
// documentation gives it.
func sign(t testing.TB, fields map[string]string, token string) url.Values {
	t.Helper()
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var dcs []string
	for _, k := range keys {
		dcs = append(dcs, k+"="+fields[k])
	}
	secret := hmac.New(sha256.New, []byte("WebAppData"))
	secret.Write([]byte(token))
	mac := hmac.New(sha256.New, secret.Sum(nil))
	mac.Write([]byte(strings.Join(dcs, "\n")))
	v := url.Values{}
	for k, x := range fields {
		v.Set(k, x)
	}
	v.Set("hash", hex.EncodeToString(mac.Sum(nil)))
	return v
}

func userJSON(t testing.TB, u TelegramUser) string {
	t.Helper()
	b, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// batu has what go-telegram/bot's check refuses: '+' and '%' in the name,
// spaces, and Mongolian, Cyrillic and Chinese letters.
var batu = TelegramUser{ID: 7000000123, FirstName: "ᠪᠠᠲᠤ+Бат 100%", LastName: "巴图 %41+%2B", Username: "batu_77", LanguageCode: "mn"}

func batuFields(t testing.TB, at time.Time) map[string]string {
	return map[string]string{
		"auth_date":     strconv.FormatInt(at.Unix(), 10),
		"query_id":      "AAHdF6IQAAAAAN0XohDhrOrc",
		"user":          userJSON(t, batu),
		"chat_instance": "-4455667788",
		"chat_type":     "private",
		"signature":     "c2lnbmF0dXJlIG9mIHRlbGVncmFt", // the third-party signature is signed too
	}
}

func TestValidateInitData(t *testing.T) {
	v := sign(t, batuFields(t, signedAt), testToken)
	for _, tc := range []struct {
		name string
		data string
		now  time.Time
	}{
		{"query-escaped", v.Encode(), signedAt.Add(time.Minute)},
		// Telegram escapes spaces as %20, not '+'.
		{"percent-escaped", strings.ReplaceAll(v.Encode(), "+", "%20"), signedAt.Add(time.Minute)},
		{"an hour old", v.Encode(), signedAt.Add(InitDataMaxAge)},
		{"slightly ahead of the server", v.Encode(), signedAt.Add(-InitDataSkew)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := ValidateInitData(tc.data, testToken, tc.now, InitDataMaxAge)
			if err != nil {
				t.Fatal(err)
			}
			if u != batu {
				t.Errorf("user %+v, want %+v", u, batu)
			}
		})
	}
}

func TestValidateInitDataRefuses(t *testing.T) {
	now := signedAt.Add(time.Minute)
	good := sign(t, batuFields(t, signedAt), testToken)
	with := func(change func(v url.Values)) string {
		v := url.Values{}
		for k, x := range good {
			v[k] = append([]string(nil), x...)
		}
		change(v)
		return v.Encode()
	}
	impostor := batu
	impostor.ID = 9001
	noUser := batuFields(t, signedAt)
	delete(noUser, "user")
	noID := batuFields(t, signedAt)
	noID["user"] = `{"first_name":"nobody"}`
	badUser := batuFields(t, signedAt)
	badUser["user"] = `{"id":"7000000123"}`
	badDate := batuFields(t, signedAt)
	badDate["auth_date"] = "yesterday"

	for _, tc := range []struct {
		name  string
		data  string
		token string
		now   time.Time
		want  error
	}{
		{"wrong hash", with(func(v url.Values) { v.Set("hash", strings.Repeat("ab", 32)) }), testToken, now, ErrInitDataBadHash},
		{"hash not hex", with(func(v url.Values) { v.Set("hash", "not-a-hash") }), testToken, now, ErrInitDataBadHash},
		{"hash cut short", with(func(v url.Values) { v.Set("hash", v.Get("hash")[:32]) }), testToken, now, ErrInitDataBadHash},
		{"tampered user", with(func(v url.Values) { v.Set("user", userJSON(t, impostor)) }), testToken, now, ErrInitDataBadHash},
		{"tampered auth_date", with(func(v url.Values) { v.Set("auth_date", strconv.FormatInt(now.Unix(), 10)) }), testToken, now, ErrInitDataBadHash},
		{"added field", with(func(v url.Values) { v.Set("start_param", "admin") }), testToken, now, ErrInitDataBadHash},
		{"removed field", with(func(v url.Values) { v.Del("query_id") }), testToken, now, ErrInitDataBadHash},
		{"field twice", with(func(v url.Values) { v.Add("user", userJSON(t, impostor)) }), testToken, now, ErrInitDataMalformed},
		{"hash twice", with(func(v url.Values) { v.Add("hash", v.Get("hash")) }), testToken, now, ErrInitDataMalformed},
		{"missing hash", with(func(v url.Values) { v.Del("hash") }), testToken, now, ErrInitDataNoHash},
		{"empty hash", with(func(v url.Values) { v.Set("hash", "") }), testToken, now, ErrInitDataNoHash},
		{"empty", "", testToken, now, ErrInitDataNoHash},
		{"bad escape", good.Encode() + "&x=%zz", testToken, now, ErrInitDataMalformed},
		{"semicolon", good.Encode() + ";x=1", testToken, now, ErrInitDataMalformed},
		{"another bot's token", good.Encode(), otherToken, now, ErrInitDataBadHash},
		{"signed by another bot", sign(t, batuFields(t, signedAt), otherToken).Encode(), testToken, now, ErrInitDataBadHash},
		{"no token", good.Encode(), "", now, ErrNoBotToken},
		{"over an hour old", good.Encode(), testToken, signedAt.Add(InitDataMaxAge + time.Second), ErrInitDataExpired},
		{"a day old", good.Encode(), testToken, signedAt.Add(24 * time.Hour), ErrInitDataExpired},
		{"from the future", good.Encode(), testToken, signedAt.Add(-InitDataSkew - time.Second), ErrInitDataFuture},
		{"auth_date not a number", sign(t, badDate, testToken).Encode(), testToken, now, ErrInitDataMalformed},
		{"no user", sign(t, noUser, testToken).Encode(), testToken, now, ErrInitDataNoUser},
		{"user without id", sign(t, noID, testToken).Encode(), testToken, now, ErrInitDataNoUser},
		{"user not JSON of a user", sign(t, badUser, testToken).Encode(), testToken, now, ErrInitDataMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := ValidateInitData(tc.data, tc.token, tc.now, InitDataMaxAge)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if u != (TelegramUser{}) {
				t.Errorf("refused, yet returned user %+v", u)
			}
		})
	}
}

func FuzzValidateInitData(f *testing.F) {
	good := sign(f, batuFields(f, signedAt), testToken).Encode()
	f.Add(good)
	f.Add(strings.ReplaceAll(good, "+", "%20"))
	f.Add("")
	f.Add("hash=&user=%7B%7D")
	f.Add("a=1&a=2&hash=00")
	f.Add("user={\"id\":1}&auth_date=1750237200&hash=" + strings.Repeat("0", 64))
	f.Add("%zz;&&==")
	f.Fuzz(func(t *testing.T, data string) {
		u, err := ValidateInitData(data, testToken, signedAt.Add(time.Minute), InitDataMaxAge)
		if err == nil && u.ID == 0 {
			t.Errorf("accepted %q without a user id", data)
		}
		if err != nil && u != (TelegramUser{}) {
			t.Errorf("refused %q, yet returned user %+v", data, u)
		}
	})
}
