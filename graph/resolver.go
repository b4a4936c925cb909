package graph

//go:generate go run ./generate

import (
	"filmgraph/auth"
	"filmgraph/events"
	"filmgraph/graph/selection"
	"filmgraph/limits"
	"filmgraph/store"
)

// Resolver holds the resolvers' dependencies, nothing else. Resolvers translate their field
// with package cypher, run the one statement through the store and wrap the result.
type Resolver struct {
	Store *store.Store
	Auth  *auth.Issuer // signs the tokens of signUp and logIn
	// Login limits log-in attempts per client address and account; logIn calls
	// Login.Check before it checks a password.
	Login *limits.LoginLimiter
	// SignUps limits sign-ups per client address; signUp calls SignUps.Check after
	// validating its arguments, before it hashes the password.
	SignUps *limits.SignUpLimiter
	// Events carries subscriptions' events; mutations publish to it after they commit.
	Events events.Broker
	// Translations caches the statements of entity reads (movie, person, genre); nil
	// caches nothing. NewHandler sets one when it is nil.
	Translations *selection.Translations
}
