// Package apperr defines the error codes filmgraph reports to clients. The domain packages
// return *Error values; the GraphQL layer maps them to `extensions.code` in one place.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for clients. The values are the `extensions.code` strings that
// GraphQL clients (Apollo, urql, Relay) conventionally switch on.
type Code string

const (
	BadRequest Code = "BAD_REQUEST" // the HTTP request is not a GraphQL request
	// UnsupportedTransport: a GraphQL request its transport cannot carry (a subscription
	// over HTTP, a mutation over GET).
	UnsupportedTransport Code = "UNSUPPORTED_TRANSPORT"
	BadUserInput         Code = "BAD_USER_INPUT"
	NotFound             Code = "NOT_FOUND"
	Unauthenticated      Code = "UNAUTHENTICATED"
	Forbidden            Code = "FORBIDDEN"
	Conflict             Code = "CONFLICT"
	ServiceUnavailable   Code = "SERVICE_UNAVAILABLE"
	Internal             Code = "INTERNAL_SERVER_ERROR"
)

// Error is an error meant for the client: Message is safe to show as it is.
type Error struct {
	Code    Code
	Message string
	// Err is the underlying cause, logged but never shown to clients.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an *Error with a formatted, client-safe message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error whose client-safe message hides cause.
func Wrap(code Code, cause error, message string) *Error {
	return &Error{Code: code, Message: message, Err: cause}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}
