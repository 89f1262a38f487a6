// Package web is the web page served beside the bot (issue 12): the same
// use cases as the chat (package office), for any phone browser and for
// Telegram's Mini App, with Mongolian written vertically.
//
// Server serves everything under /web/:
//
//	GET  /web/                  home (signed in) or the sign-in page
//	GET  /web/login?t=TOKEN     redeem a one-time link from the bot's /web
//	POST /web/tg                sign in with a Mini App's initData (static/app.js posts it)
//	POST /web/join              join with an invitation code, without Telegram
//	POST /web/logout            end the user's sessions on every device
//	GET  /web/lang?l=LANG       a signed-out visitor's language
//	GET  /web/layout?v=h|v      Mongolian horizontal (old WebViews) or vertical
//	GET  /web/log, POST         log an activity
//	GET  /web/my                my records
//	GET  /web/records           a coordinator's or admin's subtree
//	GET  /web/r/ID              a record
//	GET  /web/r/ID/edit, POST   edit it
//	GET  /web/r/ID/delete, POST delete it, after a confirmation page
//	GET  /web/r/ID/photo/N      a stored photo of it
//	POST /web/r/ID/return       a coordinator returns it to its reporter, with a comment
//	POST /web/r/ID/confirm      its reporter confirms a returned record as it is
//	GET  /web/status?period=P   who is silent in the user's subtree
//	GET  /web/status.png        the chart of it
//	GET  /web/notes?unit=U&period=P  a unit's half-year notes (problems, plans)
//	POST /web/notes/add, /web/notes/delete  a paragraph of them
//	GET  /web/report?unit=U&period=P  the compiled report, laid out for A4
//	GET  /web/report/docx, /web/report/xlsx (same query)  its Word file and ledger
//	GET  /web/static/...        CSS, script, the Mongolian font
//
// Sessions are kept in the store by the hash of the cookie's random token;
// the cookie is HttpOnly, SameSite=Lax, and Secure when Config.BaseURL is
// https. Every form carries a CSRF token: the session's, or before sign-in
// one tied to a double-submit cookie.
//
// Behind a TLS proxy (the usual deployment: FIELDLOG_WEB_URL is the proxy's
// public https address), the connection's address is the proxy's, and the
// tries of links and codes, counted per address, would then be shared by
// every visitor. The proxy must pass the client's address in
// X-Forwarded-For, and Config.TrustProxy must be set, which takes the
// header's last hop (the one the proxy added; earlier hops are the
// client's to forge). Without a proxy leave TrustProxy off.
//
// Also here: checking a Mini App's initData, random tokens for sessions
// and links, and CSRF tokens tied to a session.
package web
