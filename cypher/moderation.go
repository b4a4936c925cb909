package cypher

// Community moderation: the moderators' queue, who decided what, and who may read a
// submission. A viewer's role is always read from the database, never from the token, so a
// promotion or demotion applies to the next request.

var submissionEdgeType = &objectType{name: "SynopsisSubmissionEdge"}

func init() {
	define(submissionType, map[string]fieldFunc{
		"decidedBy": forModerators(one(relation{pattern: "({p})<-[{r}:DECIDED]-({n}:User)", orderBy: "{n}.userId"}, userType)),
	})
	define(submissionEdgeType, map[string]fieldFunc{
		"cursor": computed,
		"node":   nested(submissionType),
	})
}

// viewerIsModerator is a Cypher condition that holds when the viewer's role in the database
// is MODERATOR; "" for an anonymous request.
func viewerIsModerator(b *builder) string {
	v := viewerParam(b)
	if v == "" {
		return ""
	}
	m := b.variable("moderator")
	return "EXISTS { MATCH (" + m + ":User {userId: " + v + "}) WHERE " + m + ".role = 'MODERATOR' }"
}

// forModerators is field, or null for a viewer who is not a moderator.
func forModerators(field fieldFunc) fieldFunc {
	return func(b *builder, s scope, f Field) (string, error) {
		moderator := viewerIsModerator(b)
		if moderator == "" {
			return "null", nil
		}
		expr, err := field(b, s, f)
		if err != nil {
			return "", err
		}
		return "CASE WHEN " + moderator + " THEN " + expr + " END", nil
	}
}

// visibleSubmission is the condition under which submission variable n is visible to the
// viewer: accepted (it is, or was, a film's synopsis), or the viewer wrote it or moderates.
// Pending and rejected texts are not published.
func visibleSubmission(b *builder, n string) string {
	v := viewerParam(b)
	if v == "" {
		return n + ".status = 'ACCEPTED'"
	}
	return "(" + n + ".status = 'ACCEPTED' OR EXISTS { (:User {userId: " + v + "})-[:SUBMITTED]->(" + n + ") } OR " + viewerIsModerator(b) + ")"
}

// pendingSubmissions is the queue, oldest first; the composite index on (status,
// submittedAt) serves both the condition and the order.
var pendingSubmissions = relation{
	pattern: "({n}:SynopsisSubmission)",
	where:   "{n}.status = 'PENDING' AND {n}.submittedAt IS NOT NULL",
	orderBy: "{n}.submittedAt, {n}.submissionId",
}

// PendingSynopsisSubmissions returns the statement for req's field,
// Query.pendingSynopsisSubmissions, read by the member viewerID: a
// SynopsisSubmissionConnection, or no row when that member is not a moderator (or is gone).
func PendingSynopsisSubmissions(req Request, viewerID int64, page Page) (Statement, error) {
	b := newBuilder(req)
	match := "MATCH (viewer:User {userId: " + b.param(viewerID) + "}) WHERE viewer.role = 'MODERATOR'"
	expr, err := b.keysetConnection(pendingSubmissions, "", req.Field, page, submissionEdgeType)
	if err != nil {
		return Statement{}, err
	}
	return b.statement(match + " RETURN " + expr + " AS this"), nil
}
