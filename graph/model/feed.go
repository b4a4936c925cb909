package model

import (
	"context"
	"time"
)

// NewReviewConnection wraps a projected review connection.
func NewReviewConnection(r Record) *ReviewConnection { return &ReviewConnection{connection{r}} }

// TrendingConnection is a page of the films rated most in a window.
type TrendingConnection struct{ connection }

// NewTrendingConnection wraps a projected trending connection.
func NewTrendingConnection(r Record) *TrendingConnection { return &TrendingConnection{connection{r}} }

func (c TrendingConnection) Edges(ctx context.Context) []*TrendingEdge {
	return edgesOf[TrendingEdge](ctx, c.connection)
}

func (c TrendingConnection) WindowStart(ctx context.Context) *time.Time { return c.optTime(ctx) }
func (c TrendingConnection) WindowEnd(ctx context.Context) *time.Time   { return c.optTime(ctx) }

// TrendingEdge is a film with its ratings in the window.
type TrendingEdge struct{ edge }

func (e TrendingEdge) RatingCount(ctx context.Context) (int64, error) { return e.int(ctx) }
func (e TrendingEdge) Node(ctx context.Context) *Movie                { return NewMovie(e.record(ctx)) }
