package model

import "context"

// DecidedBy is null while pending and for viewers who are not moderators.
func (s SynopsisSubmission) DecidedBy(ctx context.Context) *User { return NewUser(s.record(ctx)) }

// SynopsisSubmissionConnection is a page of synopsis submissions.
type SynopsisSubmissionConnection struct{ connection }

// NewSynopsisSubmissionConnection wraps a projected submission connection.
func NewSynopsisSubmissionConnection(r Record) *SynopsisSubmissionConnection {
	return &SynopsisSubmissionConnection{connection{r}}
}

func (c SynopsisSubmissionConnection) Edges(ctx context.Context) []*SynopsisSubmissionEdge {
	return edgesOf[SynopsisSubmissionEdge](ctx, c.connection)
}

// SynopsisSubmissionEdge is a submission in a connection.
type SynopsisSubmissionEdge struct{ edge }

func (e SynopsisSubmissionEdge) Node(ctx context.Context) *SynopsisSubmission {
	return NewSynopsisSubmission(e.record(ctx))
}
