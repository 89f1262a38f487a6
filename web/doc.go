// Package web is the web page served beside the bot (issue 12). So far it
// holds the foundations of signing in: checking a Telegram Mini App's
// initData, random tokens for sessions and links, and CSRF tokens tied to
// a session.
package web
