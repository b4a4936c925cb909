package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/apperr"
)

// failure is what a failed attempt says about the database.
type failure int

const (
	// failed: the statement itself failed (a constraint, a timeout Neo4j enforced, a bug):
	// not retried.
	failed failure = iota
	// busy: the database answered but was loaded: a lost lock race or a deadlock, no free
	// thread or memory, a leader switch. Retried while the deadline leaves time, then
	// TIMEOUT: load is never an outage.
	busy
	// unreachable: no answer from the database: a connection refused, lost or silent, or
	// the database itself unavailable (starting, stopping). SERVICE_UNAVAILABLE, and the
	// store counts the database down (health.go).
	unreachable
)

// kindOf tells which failure err is. It is only asked while the caller's deadline has not
// passed: a wait for a pooled connection, which the driver reports as a connectivity error,
// ends only at that deadline (Config.RequestTimeout), so it never reaches here.
func kindOf(err error) failure {
	cause := lastAttempt(err)
	var neoErr *neo4j.Neo4jError
	switch {
	case errors.Is(cause, context.DeadlineExceeded), errors.Is(cause, context.Canceled):
		return failed
	case errors.As(cause, &neoErr):
		switch {
		case neoErr.Code == "Neo.TransientError.General.DatabaseUnavailable":
			return unreachable
		case strings.HasPrefix(neoErr.Code, "Neo.TransientError."), neoErr.IsRetriable():
			return busy
		}
		return failed
	case cause != err, neo4j.IsConnectivityError(err):
		// The driver gave up on its first attempt (retries are off), which it does only
		// for a retryable failure; all but Neo4j's own errors are lost connections.
		return unreachable
	}
	return failed
}

// lastAttempt returns the error of the driver's last attempt when err says that the driver
// stopped retrying (it wraps the attempts' errors without unwrapping them), else err.
func lastAttempt(err error) error {
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		return limit.Errors[len(limit.Errors)-1]
	}
	return err
}

// classify turns the error of a statement run under callCtx (from bound) for the request's
// ctx into a client-safe error; the cause stays for the log.
func classify(ctx, callCtx context.Context, err error, kind failure) error {
	cause := lastAttempt(err)
	var appErr *apperr.Error
	var neoErr *neo4j.Neo4jError
	if c := conflict(cause); c != nil {
		return c
	}
	switch {
	case errors.As(err, &appErr):
		return err
	case pastDeadline(callCtx),
		errors.As(cause, &neoErr) && neoErr.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
		errors.As(cause, &neoErr) && neoErr.Code == "Neo.ClientError.Transaction.TransactionTimedOut":
		return apperr.Wrap(apperr.Timeout, err, "the request took too long and was stopped")
	case errors.As(cause, &neoErr) && strings.HasPrefix(neoErr.Code, "Neo.ClientError.Transaction.InvalidBookmark"):
		// a bookmark sent by a client (store.AfterBookmarks) that this database never issued
		return apperr.Wrap(apperr.BadUserInput, err, "the bookmark is not one this database issued")
	case errors.Is(ctx.Err(), context.Canceled):
		return apperr.Wrap(apperr.ServiceUnavailable, err, "the request was cancelled")
	case errors.Is(context.Cause(callCtx), errSuspect), kind == unreachable:
		return apperr.Wrap(apperr.ServiceUnavailable, err, "the database is unavailable; try again shortly")
	case kind == busy:
		return apperr.Wrap(apperr.Timeout, err, "the database was too busy to finish this in time; try again")
	default:
		return apperr.Wrap(apperr.Internal, err, "internal error")
	}
}

// expired reports whether ctx is done or its deadline has passed.
func expired(ctx context.Context) bool {
	return ctx.Err() != nil || pastDeadline(ctx)
}

// pastDeadline reports whether ctx's deadline has passed. A connection attempt bounded by
// the deadline fails at that instant, which may come just before ctx's own timer marks it
// done: its failure is the deadline's, not a silent database's.
func pastDeadline(ctx context.Context) bool {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return true
	}
	deadline, ok := ctx.Deadline()
	return ok && !time.Now().Before(deadline)
}
