package model

import "context"

func (m Movie) ImdbID(ctx context.Context) *string { return m.optString(ctx) }
func (m Movie) TmdbID(ctx context.Context) *int64  { return m.optInt(ctx) }
