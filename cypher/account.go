package cypher

import (
	"fmt"
	"regexp"

	"filmgraph/apperr"
)

// The types of accounts and of what members write: profiles, ratings, reviews, comments,
// lists and synopsis submissions.
var (
	userType          = &objectType{name: "User", label: "User", interfaces: []string{"Node"}, key: "userId"}
	meType            = &objectType{name: "Me", label: "User", key: "userId"}
	authPayloadType   = &objectType{name: "AuthPayload", label: "User", key: "userId"}
	viewerStateType   = &objectType{name: "ViewerState"}
	ratingEdgeType    = &objectType{name: "RatingEdge"}
	reviewType        = &objectType{name: "Review", label: "Review", interfaces: []string{"Node"}, key: "reviewId"}
	reviewEdgeType    = &objectType{name: "ReviewEdge"}
	commentType       = &objectType{name: "Comment", label: "Comment", interfaces: []string{"Node"}, key: "commentId"}
	commentEdgeType   = &objectType{name: "CommentEdge"}
	userListType      = &objectType{name: "UserList", label: "UserList", interfaces: []string{"Node"}, key: "listId"}
	userListEdgeType  = &objectType{name: "UserListEdge"}
	submissionType    = &objectType{name: "SynopsisSubmission", label: "SynopsisSubmission", interfaces: []string{"Node"}, key: "submissionId"}
	writableTypesByGQ = map[string]*objectType{}
)

func init() {
	nodeTypes = append(nodeTypes,
		nodeType{t: userType, intKey: true}, nodeType{t: reviewType}, nodeType{t: commentType},
		nodeType{t: userListType, visible: visibleList}, nodeType{t: submissionType, visible: visibleSubmission})
	for _, t := range []*objectType{movieType, userType, authPayloadType, reviewType, commentType, userListType, submissionType} {
		writableTypesByGQ[t.name] = t
	}
	define(movieType, map[string]fieldFunc{
		"viewerState": viewerState,
		"reviews":     movieReviews,
		"lists": func(b *builder, s scope, f Field) (string, error) {
			return connection(relation{
				pattern: "({p})<-[{r}:CONTAINS]-({n})",
				namedBy: "({p})<-[{r}:CONTAINS]-({n}:UserList)",
				where:   visibleList(b, "{n}"),
				orderBy: "{n}.createdAt DESC, {n}.listId",
			}, userListEdgeType)(b, s, f)
		},
		"synopsisAuthor": one(relation{
			pattern: "({p})-[{r}:SYNOPSIS_FROM]->()<-[:SUBMITTED]-({n})",
			orderBy: "{n}.userId",
		}, userType),
		"synopsisSubmissions": forModerators(list(relation{
			pattern: "({p})<-[{r}:FOR]-({n})",
			orderBy: "{n}.submittedAt DESC, {n}.submissionId",
		}, submissionType)),
	})
	define(userType, map[string]fieldFunc{
		"id":           computed,
		"username":     property("username"),
		"joinedAt":     property("joinedAt"),
		"ratingsCount": countOf("({p})-[:RATED]->()"),
		"reviews": connection(relation{
			// WROTE reaches reviews and comments: its far end keeps its label. The other
			// patterns name none (see types.go).
			pattern: "({p})-[{r}:WROTE]->({n}:Review)",
			orderBy: "{n}.addedAt DESC, {n}.reviewId",
		}, reviewEdgeType),
		"lists": func(b *builder, s scope, f Field) (string, error) {
			return connection(relation{
				pattern: "({p})-[{r}:CREATED]->({n})",
				namedBy: "({p})-[{r}:CREATED]->({n}:UserList)",
				where:   visibleList(b, "{n}"),
				orderBy: "{n}.createdAt DESC, {n}.listId",
			}, userListEdgeType)(b, s, f)
		},
	})
	define(meType, map[string]fieldFunc{
		"user":       nested(userType),
		"email":      property("email"),
		"role":       property("role"),
		"collection": connection(byViewer("COLLECTED"), movieEdgeType),
		"favorites":  connection(byViewer("FAVORITED"), movieEdgeType),
		"watchlist":  connection(byViewer("WANTS_TO_WATCH"), movieEdgeType),
		"ratings": connection(relation{
			pattern: "({p})-[{r}:RATED]->({n})",
			namedBy: "({p})-[{r}:RATED]->({n}:Movie)",
			orderBy: "{r}.ratedAt DESC, {n}.movieId",
		}, ratingEdgeType),
	})
	define(authPayloadType, map[string]fieldFunc{
		"token":     computed,
		"expiresAt": computed,
		"user":      nested(userType),
	})
	define(ratingEdgeType, map[string]fieldFunc{
		"cursor":  computed,
		"score":   relProperty("score"),
		"ratedAt": relProperty("ratedAt"),
		"node":    nested(movieType),
	})
	define(viewerStateType, map[string]fieldFunc{
		// "userId:movieId"; the Go side builds the id from it.
		"id": func(_ *builder, s scope, _ Field) (string, error) {
			return "toString(" + s.rel + ".userId) + ':' + toString(" + s.node + ".movieId)", nil
		},
		"rating": func(b *builder, s scope, _ Field) (string, error) {
			r := b.variable("r")
			return "head(COLLECT { MATCH (" + s.rel + ")-[" + r + ":RATED]->(" + s.node + ") RETURN " + r + ".score })", nil
		},
		"inCollection": viewerHas("COLLECTED"),
		"isFavorite":   viewerHas("FAVORITED"),
		"onWatchlist":  viewerHas("WANTS_TO_WATCH"),
		"review": func(b *builder, s scope, f Field) (string, error) {
			c, err := b.collectPage(relation{
				pattern: "(" + s.rel + ")-[{r}:WROTE]->({n}:Review)-[:ABOUT]->({p})",
				orderBy: "{n}.reviewId",
			}, s.node, reviewType, f, "", "1")
			return "head(" + c + ")", err
		},
	})
	define(reviewType, map[string]fieldFunc{
		"id":       computed,
		"text":     property("text"),
		"score":    property("score"),
		"addedAt":  property("addedAt"),
		"editedAt": property("editedAt"),
		"author":   one(relation{pattern: "({p})<-[{r}:WROTE]-({n})", orderBy: "{n}.userId"}, userType),
		"movie":    one(relation{pattern: "({p})-[{r}:ABOUT]->({n})", orderBy: "{n}.movieId"}, movieType),
		"comments": connection(relation{
			pattern: "({p})<-[{r}:ON]-({n})",
			namedBy: "({p})<-[{r}:ON]-({n}:Comment)",
			orderBy: "{n}.addedAt, {n}.commentId",
		}, commentEdgeType),
	})
	define(commentType, map[string]fieldFunc{
		"id":      computed,
		"text":    property("text"),
		"addedAt": property("addedAt"),
		"author":  one(relation{pattern: "({p})<-[{r}:WROTE]-({n})", orderBy: "{n}.userId"}, userType),
		"review":  one(relation{pattern: "({p})-[{r}:ON]->({n})", orderBy: "{n}.reviewId"}, reviewType),
	})
	define(userListType, map[string]fieldFunc{
		"id":          computed,
		"title":       property("title"),
		"description": property("description"),
		"createdAt":   property("createdAt"),
		"public":      property("public"),
		"owner":       one(relation{pattern: "({p})<-[{r}:CREATED]-({n})", orderBy: "{n}.userId"}, userType),
		"movies": connection(relation{
			pattern: "({p})-[{r}:CONTAINS]->({n})",
			namedBy: "({p})-[{r}:CONTAINS]->({n}:Movie)",
			orderBy: "{r}.position, {n}.movieId",
		}, movieEdgeType),
	})
	define(submissionType, map[string]fieldFunc{
		"id":          computed,
		"text":        property("text"),
		"status":      property("status"),
		"submittedAt": property("submittedAt"),
		"decidedAt":   property("decidedAt"),
		"author":      one(relation{pattern: "({p})<-[{r}:SUBMITTED]-({n})", orderBy: "{n}.userId"}, userType),
		"movie":       one(relation{pattern: "({p})-[{r}:FOR]->({n})", orderBy: "{n}.movieId"}, movieType),
	})
	for _, edge := range []*objectType{reviewEdgeType, commentEdgeType, userListEdgeType} {
		item := map[*objectType]*objectType{reviewEdgeType: reviewType, commentEdgeType: commentType, userListEdgeType: userListType}[edge]
		define(edge, map[string]fieldFunc{"cursor": computed, "node": nested(item)})
	}
}

// viewerParam returns the placeholder of the viewer's user id, or "" when anonymous.
func viewerParam(b *builder) string {
	if b.viewer == nil {
		return ""
	}
	return b.param(b.viewer.UserID)
}

// visibleList is the condition under which list variable n is visible to the viewer:
// public, or the viewer's own.
func visibleList(b *builder, n string) string {
	v := viewerParam(b)
	if v == "" {
		return n + ".public"
	}
	return "(" + n + ".public OR EXISTS { (:User {userId: " + v + "})-[:CREATED]->(" + n + ") })"
}

// byViewer lists the films the Me user is related to by relType, latest first.
func byViewer(relType string) relation {
	return relation{pattern: "({p})-[{r}:" + relType + "]->({n})", namedBy: "({p})-[{r}:" + relType + "]->({n}:Movie)",
		orderBy: "{r}.at DESC, {n}.movieId"}
}

// viewerHas tells whether the viewer (the scope's rel variable) is related to the film by
// relType.
func viewerHas(relType string) fieldFunc {
	return func(_ *builder, s scope, _ Field) (string, error) {
		return "EXISTS { (" + s.rel + ")-[:" + relType + "]->(" + s.node + ") }", nil
	}
}

// viewerState projects what the viewer did with the film; null when anonymous. The
// viewer's node is matched once in a list comprehension and carried as the scope's rel.
func viewerState(b *builder, s scope, f Field) (string, error) {
	v := viewerParam(b)
	if v == "" {
		return "null", nil
	}
	u, inner := b.variable("viewer"), b.variable("viewer")
	proj, err := b.project(viewerStateType, scope{node: s.node, rel: u}, f.Selections)
	if err != nil {
		return "", err
	}
	return "head([" + u + " IN COLLECT { MATCH (" + inner + ":User {userId: " + v + "}) RETURN " + inner + " } | " + proj + "])", nil
}

// reviewOrders maps ReviewOrder values to stable orderings.
var reviewOrders = map[string]string{
	"NEWEST":        "{n}.addedAt DESC, {n}.reviewId",
	"OLDEST":        "{n}.addedAt, {n}.reviewId",
	"HIGHEST_SCORE": "{n}.score DESC, {n}.addedAt DESC, {n}.reviewId",
	"LOWEST_SCORE":  "{n}.score, {n}.addedAt DESC, {n}.reviewId",
}

func movieReviews(b *builder, s scope, f Field) (string, error) {
	order, _ := f.Args["orderBy"].(string)
	if order == "" {
		order = "NEWEST"
	}
	orderBy, ok := reviewOrders[order]
	if !ok {
		return "", apperr.New(apperr.BadUserInput, "argument `orderBy` must be NEWEST, OLDEST, HIGHEST_SCORE or LOWEST_SCORE")
	}
	where, err := reviewWhere(b, f.Args["where"])
	if err != nil {
		return "", err
	}
	return connection(relation{pattern: "({p})<-[{r}:ABOUT]-({n})", namedBy: "({p})<-[{r}:ABOUT]-({n}:Review)", orderBy: orderBy, where: where}, reviewEdgeType)(b, s, f)
}

// one projects the single node at the end of rel, or null.
func one(rel relation, item *objectType) fieldFunc {
	return func(b *builder, s scope, f Field) (string, error) {
		c, err := b.collectPage(rel, s.node, item, f, "", "1")
		if err != nil {
			return "", err
		}
		if hoisted, ok := b.hoistValue(s, "head("+c+")"); ok {
			return hoisted, nil
		}
		return "head(" + c + ")", nil
	}
}

// countOf counts the matches of a pattern around the node in scope ({p}).
func countOf(pattern string) fieldFunc {
	return func(_ *builder, s scope, _ Field) (string, error) {
		return "COUNT { " + expand(pattern, s.node, "", "") + " }", nil
	}
}

// User returns the statement for req's field (a User) of the member with username.
// It yields no row when nobody has that username.
func User(req Request, username string) (Statement, error) {
	b := newBuilder(req)
	match := "MATCH (this:User {username: " + b.param(username) + "})" // EntityKeyParam
	proj, err := b.project(userType, scope{node: "this"}, req.Field.Selections)
	if err != nil {
		return Statement{}, err
	}
	return b.statement(match + " RETURN " + proj + " AS this"), nil
}

// Entity returns the statement for req's field of the entity of GraphQL type
// typeName (User, Review, Comment, UserList, SynopsisSubmission) with key. Private lists
// of other members, and submissions the viewer may not read (visibleSubmission), yield no
// row, like unknown ones.
func Entity(req Request, typeName string, key any) (Statement, error) {
	t, ok := writableTypesByGQ[typeName]
	if !ok || t.label == "" || t == movieType {
		return Statement{}, fmt.Errorf("cypher: no entity type %q", typeName)
	}
	visible := map[*objectType]func(*builder, string) string{userListType: visibleList, submissionType: visibleSubmission}[t]
	if visible == nil {
		return entity(req, t, key)
	}
	b := newBuilder(req)
	match := "MATCH (this:" + t.label + " {" + t.key + ": " + b.param(key) + "}) WHERE " + visible(b, "this")
	proj, err := b.project(t, scope{node: "this"}, req.Field.Selections)
	if err != nil {
		return Statement{}, err
	}
	return b.statement(match + " RETURN " + proj + " AS this"), nil
}

// Me returns the statement for req's field (Me) of the user with id userID.
func Me(req Request, userID int64) (Statement, error) {
	return entity(req, meType, userID)
}

var builderParam = regexp.MustCompile(`^p[0-9]+$`)

// AfterWrite returns ONE statement that runs writeClause, then projects the
// selection of req's field as an object of GraphQL type typeName (Movie, User, AuthPayload,
// Review, Comment, UserList, SynopsisSubmission). writeClause must end with the node to
// project bound to `this` and a string `status` bound: 'OK' to project, anything else
// (e.g. 'FORBIDDEN') to project nothing; the one column `this` is {status, result}. A write clause that
// yields no row is for the caller to report (typically NOT_FOUND). writeParams must not
// be named like the builder's own ($p0, $p1, ...).
func AfterWrite(req Request, typeName, writeClause string, writeParams map[string]any) (Statement, error) {
	t, ok := writableTypesByGQ[typeName]
	if !ok {
		return Statement{}, fmt.Errorf("cypher: AfterWrite of unknown type %q", typeName)
	}
	b := newBuilder(req)
	proj, err := b.project(t, scope{node: "this"}, req.Field.Selections)
	if err != nil {
		return Statement{}, err
	}
	for name, v := range writeParams {
		if builderParam.MatchString(name) {
			return Statement{}, fmt.Errorf("cypher: write parameter $%s collides with the builder's", name)
		}
		b.params[name] = v
	}
	return b.statement(writeClause + "\nRETURN {status: status, result: CASE status WHEN 'OK' THEN " + proj + " END} AS this"), nil
}

// Keys LogIn adds to its projection for the Go side; never shown to clients.
const (
	KeyPasswordHash = "#passwordHash"
	KeyRole         = "#role"
)

// LogIn returns the statement for req's field (an AuthPayload) of the member whose
// username or email has the key loginKey (auth.IdentityKey), carrying the password hash and
// role under KeyPasswordHash and KeyRole for the caller to check before answering. No row
// when nobody matches. Usernames cannot hold an `@` and emails must, so one key matches
// one member at most.
func LogIn(req Request, loginKey string) (Statement, error) {
	b := newBuilder(req)
	key := b.param(loginKey)
	match := "MATCH (this:User) WHERE this.usernameKey = " + key + " OR this.emailKey = " + key
	proj, err := b.project(authPayloadType, scope{node: "this"}, req.Field.Selections)
	if err != nil {
		return Statement{}, err
	}
	return b.statement(match + " WITH this, " + proj + " AS projection LIMIT 1 RETURN projection {.*, `" +
		KeyPasswordHash + "`: this.passwordHash, `" + KeyRole + "`: this.role} AS this"), nil
}
