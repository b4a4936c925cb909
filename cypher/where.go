package cypher

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"filmgraph/apperr"
	"filmgraph/relay"
)

// The `where` inputs of films, people and reviews (gqlgen binds the schema's input types
// to these structs, see gqlgen.yml) and their compiler: a pure function from an input
// tree to ONE Cypher predicate over the item variable {n}, with every value a parameter.

// StringFilter holds conditions on a text value.
type StringFilter struct {
	Eq         *string  `json:"eq"`
	In         []string `json:"in"`
	Contains   *string  `json:"contains"`
	StartsWith *string  `json:"startsWith"`
}

// IntFilter holds conditions on a whole number.
type IntFilter struct {
	Eq  *int64  `json:"eq"`
	In  []int64 `json:"in"`
	Gt  *int64  `json:"gt"`
	Gte *int64  `json:"gte"`
	Lt  *int64  `json:"lt"`
	Lte *int64  `json:"lte"`
}

// FloatFilter holds conditions on a number.
type FloatFilter struct {
	Eq  *float64  `json:"eq"`
	In  []float64 `json:"in"`
	Gt  *float64  `json:"gt"`
	Gte *float64  `json:"gte"`
	Lt  *float64  `json:"lt"`
	Lte *float64  `json:"lte"`
}

// TimeFilter holds conditions on a point in time.
type TimeFilter struct {
	Gt  *time.Time `json:"gt"`
	Gte *time.Time `json:"gte"`
	Lt  *time.Time `json:"lt"`
	Lte *time.Time `json:"lte"`
}

// MovieWhere is the schema's MovieWhere.
type MovieWhere struct {
	And           []*MovieWhere `json:"AND"`
	Or            []*MovieWhere `json:"OR"`
	Not           *MovieWhere   `json:"NOT"`
	Title         *StringFilter `json:"title"`
	Year          *IntFilter    `json:"year"`
	AverageRating *FloatFilter  `json:"averageRating"`
	RatingCount   *IntFilter    `json:"ratingCount"`
	Genres        *GenresFilter `json:"genres"`
	Credit        *CreditFilter `json:"credit"`
	Tag           *string       `json:"tag"`
	InList        *string       `json:"inList"`
}

// GenresFilter holds conditions on a film's genres, by name.
type GenresFilter struct {
	Any  []string `json:"any"`
	All  []string `json:"all"`
	None []string `json:"none"`
}

// CreditFilter is a person credited on a film, in a role.
type CreditFilter struct {
	Person string      `json:"person"`
	As     *CreditedAs `json:"as"`
}

// CreditedAs is how a person is credited on a film.
type CreditedAs string

const (
	CreditActor    CreditedAs = "ACTOR"
	CreditDirector CreditedAs = "DIRECTOR"
	CreditAny      CreditedAs = "ANY"
)

func (e *CreditedAs) UnmarshalGQL(v any) error {
	return unmarshalEnum(e, v, CreditActor, CreditDirector, CreditAny)
}
func (e CreditedAs) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(e))) }

// PersonWhere is the schema's PersonWhere.
type PersonWhere struct {
	And         []*PersonWhere `json:"AND"`
	Or          []*PersonWhere `json:"OR"`
	Not         *PersonWhere   `json:"NOT"`
	Name        *StringFilter  `json:"name"`
	HasDirected *bool          `json:"hasDirected"`
	ActedWith   *string        `json:"actedWith"`
	Genre       *string        `json:"genre"`
}

// ReviewWhere is the schema's ReviewWhere.
type ReviewWhere struct {
	And     []*ReviewWhere `json:"AND"`
	Or      []*ReviewWhere `json:"OR"`
	Not     *ReviewWhere   `json:"NOT"`
	Score   *IntFilter     `json:"score"`
	AddedAt *TimeFilter    `json:"addedAt"`
}

// unmarshalEnum sets *e to the enum value v names, one of allowed.
func unmarshalEnum[E ~string](e *E, v any, allowed ...E) error {
	s, _ := v.(string)
	if !slices.Contains(allowed, E(s)) {
		return fmt.Errorf("%v is not a valid value", v)
	}
	*e = E(s)
	return nil
}

// Bounds of a filter tree, so that no request builds an unbounded predicate.
const (
	MaxWhereDepth      = 5   // nesting levels of AND / OR / NOT
	MaxWhereConditions = 50  // conditions (operators and nodes) in one tree
	MaxWhereBranches   = 20  // entries of one AND / OR list
	MaxWhereValues     = 100 // entries of one `in` list
	MaxWhereGenres     = 20  // names of one genres condition
)

// Predicate is a Cypher boolean expression over the item variable {n}, with the
// parameters it names. An empty Text means no condition.
type Predicate struct {
	Text   string
	Params map[string]any
}

// WhereOptions are the inputs a predicate needs besides the tree.
type WhereOptions struct {
	// Prefix names the predicate's parameters and variables ("w1_" gives $w1_0, w1_v0, ...),
	// so that several predicates can share one statement. It must not look like the
	// builder's own parameters ($p0, ...).
	Prefix string
	// Viewer is the member reading (nil when anonymous): lists they may not see hold nothing.
	Viewer *int64
}

// CompileMovieWhere compiles a MovieWhere tree; a nil tree is no condition.
func CompileMovieWhere(w *MovieWhere, opts WhereOptions) (Predicate, error) {
	c := newWhereCompiler(opts)
	text, err := compileTree(c, w, 0, movieConditions)
	return c.predicate(text), err
}

// CompilePersonWhere compiles a PersonWhere tree; a nil tree is no condition.
func CompilePersonWhere(w *PersonWhere, opts WhereOptions) (Predicate, error) {
	c := newWhereCompiler(opts)
	text, err := compileTree(c, w, 0, personConditions)
	return c.predicate(text), err
}

// CompileReviewWhere compiles a ReviewWhere tree; a nil tree is no condition.
func CompileReviewWhere(w *ReviewWhere, opts WhereOptions) (Predicate, error) {
	c := newWhereCompiler(opts)
	text, err := compileTree(c, w, 0, reviewConditions)
	return c.predicate(text), err
}

// WhereCost is what a tree adds to an operation's complexity: each condition is work for
// every item the list visits, so each input field given is charged whereCostPerCondition.
// It only counts, so an oversized tree is priced (and refused by the budget) before the
// compiler reports it.
func WhereCost(w any) int {
	raw, err := json.Marshal(w)
	if err != nil {
		return 0
	}
	var tree any
	if json.Unmarshal(raw, &tree) != nil {
		return 0
	}
	return whereCostPerCondition * countFields(tree)
}

// countFields counts the non-null object fields of a decoded JSON value.
func countFields(v any) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		for _, field := range v {
			if field != nil {
				n += 1 + countFields(field)
			}
		}
	case []any:
		for _, item := range v {
			n += countFields(item)
		}
	}
	return n
}

// whereCostPerCondition prices one condition in units of the complexity budget.
const whereCostPerCondition = 10

type whereCompiler struct {
	opts       WhereOptions
	params     map[string]any
	vars       int
	conditions int
}

func newWhereCompiler(opts WhereOptions) *whereCompiler {
	return &whereCompiler{opts: opts, params: map[string]any{}}
}

func (c *whereCompiler) predicate(text string) Predicate {
	if text == "true" {
		text = ""
	}
	return Predicate{Text: text, Params: c.params}
}

func (c *whereCompiler) param(v any) string {
	name := c.opts.Prefix + strconv.Itoa(len(c.params))
	c.params[name] = v
	return "$" + name
}

func (c *whereCompiler) variable() string {
	c.vars++
	return c.opts.Prefix + "v" + strconv.Itoa(c.vars)
}

// count charges one condition against the tree's budget.
func (c *whereCompiler) count() error {
	c.conditions++
	if c.conditions > MaxWhereConditions {
		return apperr.New(apperr.BadUserInput, "`where` holds more than %d conditions", MaxWhereConditions)
	}
	return nil
}

// tree is what compileTree needs of a where type: its AND / OR / NOT and its own fields.
type tree[W any] interface {
	*W
	branches() (and, or []*W, not *W)
}

func (w *MovieWhere) branches() (and, or []*MovieWhere, not *MovieWhere) { return w.And, w.Or, w.Not }
func (w *PersonWhere) branches() (and, or []*PersonWhere, not *PersonWhere) {
	return w.And, w.Or, w.Not
}
func (w *ReviewWhere) branches() (and, or []*ReviewWhere, not *ReviewWhere) {
	return w.And, w.Or, w.Not
}

// compileTree compiles one node of a tree: its own conditions (by leaves) and its AND, OR
// and NOT, all of which must hold. "true" stands for no condition.
func compileTree[W any, T tree[W]](c *whereCompiler, w T, depth int, leaves func(*whereCompiler, T) ([]string, error)) (string, error) {
	if w == nil {
		return "true", nil
	}
	if depth > MaxWhereDepth {
		return "", apperr.New(apperr.BadUserInput, "`where` is nested more than %d levels deep", MaxWhereDepth)
	}
	if err := c.count(); err != nil {
		return "", err
	}
	parts, err := leaves(c, w)
	if err != nil {
		return "", err
	}
	and, or, not := w.branches()
	for _, list := range [][]*W{and, or} {
		if len(list) > MaxWhereBranches {
			return "", apperr.New(apperr.BadUserInput, "`AND` and `OR` take at most %d conditions, got %d", MaxWhereBranches, len(list))
		}
	}
	if and != nil {
		for _, sub := range and {
			text, err := compileTree(c, T(sub), depth+1, leaves)
			if err != nil {
				return "", err
			}
			parts = append(parts, text)
		}
	}
	if or != nil {
		alternatives := make([]string, 0, len(or))
		for _, sub := range or {
			text, err := compileTree(c, T(sub), depth+1, leaves)
			if err != nil {
				return "", err
			}
			alternatives = append(alternatives, text)
		}
		parts = append(parts, join(alternatives, " OR ", "false"))
	}
	if not != nil {
		text, err := compileTree(c, T(not), depth+1, leaves)
		if err != nil {
			return "", err
		}
		// A condition on a missing value (a film without a year) is null; NOT treats it
		// as false, so that NOT is the complement of what it negates.
		parts = append(parts, "NOT coalesce("+text+", false)")
	}
	return join(parts, " AND ", "true"), nil
}

// join combines conditions with op; none gives empty, one is itself.
func join(parts []string, op, empty string) string {
	switch len(parts) {
	case 0:
		return empty
	case 1:
		return parts[0]
	}
	return "(" + strings.Join(parts, op) + ")"
}

func movieConditions(c *whereCompiler, w *MovieWhere) ([]string, error) {
	var parts []string
	add := func(p []string, err error) error { parts = append(parts, p...); return err }
	if err := add(c.stringConditions("title", "{n}.title", w.Title)); err != nil {
		return nil, err
	}
	if err := add(c.numberConditions("year", "{n}.year", intOps(w.Year))); err != nil {
		return nil, err
	}
	if err := add(c.numberConditions("averageRating", "{n}.ratingAverage", floatOps(w.AverageRating))); err != nil {
		return nil, err
	}
	if err := add(c.numberConditions("ratingCount", "{n}.ratingCount", intOps(w.RatingCount))); err != nil {
		return nil, err
	}
	if err := add(c.genreConditions(w.Genres)); err != nil {
		return nil, err
	}
	if w.Credit != nil {
		if err := c.count(); err != nil {
			return nil, err
		}
		personID, err := relay.ParseIntID(w.Credit.Person, "Person")
		if err != nil {
			return nil, err
		}
		relType := "ACTED_IN|DIRECTED"
		if w.Credit.As != nil {
			switch *w.Credit.As {
			case CreditActor:
				relType = "ACTED_IN"
			case CreditDirector:
				relType = "DIRECTED"
			}
		}
		parts = append(parts, "EXISTS { ({n})<-[:"+relType+"]-(:Person {personId: "+c.param(personID)+"}) }")
	}
	if w.Tag != nil {
		if err := c.count(); err != nil {
			return nil, err
		}
		tag, err := filterText("where.tag", *w.Tag)
		if err != nil {
			return nil, err
		}
		parts = append(parts, "EXISTS { ({n})-[:TAGGED]->(:Tag {name: "+c.param(tag)+"}) }")
	}
	if w.InList != nil {
		if err := c.count(); err != nil {
			return nil, err
		}
		typeName, key, err := relay.ParseID(*w.InList)
		if err != nil {
			return nil, err
		}
		if typeName != "UserList" {
			return nil, apperr.New(apperr.BadUserInput, "`where.inList` must be the id of a UserList")
		}
		list := c.variable()
		visible := list + ".public"
		if c.opts.Viewer != nil {
			visible = "(" + visible + " OR EXISTS { (:User {userId: " + c.param(*c.opts.Viewer) + "})-[:CREATED]->(" + list + ") })"
		}
		parts = append(parts, "EXISTS { ("+list+":UserList {listId: "+c.param(key)+"})-[:CONTAINS]->({n}) WHERE "+visible+" }")
	}
	return parts, nil
}

func (c *whereCompiler) genreConditions(g *GenresFilter) ([]string, error) {
	if g == nil {
		return nil, nil
	}
	var parts []string
	for _, set := range []struct {
		name  string
		names []string
	}{{"any", g.Any}, {"all", g.All}, {"none", g.None}} {
		if set.names == nil {
			continue
		}
		if err := c.count(); err != nil {
			return nil, err
		}
		names, err := genreNames("where.genres."+set.name, set.names)
		if err != nil {
			return nil, err
		}
		genre := c.variable()
		in := "({n})-[:IN_GENRE]->(" + genre + ":Genre) WHERE " + genre + ".name IN " + c.param(names)
		switch set.name {
		case "any":
			parts = append(parts, "EXISTS { "+in+" }")
		case "none":
			parts = append(parts, "NOT EXISTS { "+in+" }")
		case "all":
			parts = append(parts, "COUNT { "+in+" } = "+c.param(int64(len(names))))
		}
	}
	return parts, nil
}

// genreNames checks a list of genre names and drops repeats (so `all` can count them).
func genreNames(field string, names []string) ([]string, error) {
	if len(names) > MaxWhereGenres {
		return nil, apperr.New(apperr.BadUserInput, "`%s` takes at most %d names, got %d", field, MaxWhereGenres, len(names))
	}
	out := make([]string, 0, len(names))
	for _, name := range names {
		if _, err := filterText(field, name); err != nil {
			return nil, err
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

func personConditions(c *whereCompiler, w *PersonWhere) ([]string, error) {
	parts, err := c.stringConditions("name", "{n}.name", w.Name)
	if err != nil {
		return nil, err
	}
	if w.HasDirected != nil {
		if err := c.count(); err != nil {
			return nil, err
		}
		directed := "EXISTS { ({n})-[:DIRECTED]->(:Movie) }"
		if !*w.HasDirected {
			directed = "NOT " + directed
		}
		parts = append(parts, directed)
	}
	if w.ActedWith != nil {
		if err := c.count(); err != nil {
			return nil, err
		}
		personID, err := relay.ParseIntID(*w.ActedWith, "Person")
		if err != nil {
			return nil, err
		}
		// Film by film, the other person is looked for among each film's cast: the
		// pattern in one piece expanded every co-star of every person (28 M db hits for
		// Tom Hanks' fellow actors, against 1.7 M).
		film, id := c.variable(), c.param(personID)
		parts = append(parts, "({n}.personId <> "+id+" AND EXISTS { ({n})-[:ACTED_IN]->("+film+":Movie) WHERE EXISTS { ("+
			film+")<-[:ACTED_IN]-(:Person {personId: "+id+"}) } })")
	}
	if w.Genre != nil {
		if err := c.count(); err != nil {
			return nil, err
		}
		genre, err := filterText("where.genre", *w.Genre)
		if err != nil {
			return nil, err
		}
		parts = append(parts, "EXISTS { ({n})-[:ACTED_IN|DIRECTED]->(:Movie)-[:IN_GENRE]->(:Genre {name: "+c.param(genre)+"}) }")
	}
	return parts, nil
}

func reviewConditions(c *whereCompiler, w *ReviewWhere) ([]string, error) {
	parts, err := c.numberConditions("score", "{n}.score", intOps(w.Score))
	if err != nil {
		return nil, err
	}
	if t := w.AddedAt; t != nil {
		for _, op := range []struct {
			value *time.Time
			op    string
		}{{t.Gt, ">"}, {t.Gte, ">="}, {t.Lt, "<"}, {t.Lte, "<="}} {
			if op.value == nil {
				continue
			}
			if err := c.count(); err != nil {
				return nil, err
			}
			parts = append(parts, "{n}.addedAt "+op.op+" "+c.param(*op.value))
		}
	}
	return parts, nil
}

// stringConditions compiles the operators of a StringFilter on expr.
func (c *whereCompiler) stringConditions(field, expr string, f *StringFilter) ([]string, error) {
	if f == nil {
		return nil, nil
	}
	var parts []string
	for _, op := range []struct {
		name, op string
		value    *string
	}{{"eq", "=", f.Eq}, {"contains", "CONTAINS", f.Contains}, {"startsWith", "STARTS WITH", f.StartsWith}} {
		if op.value == nil {
			continue
		}
		if err := c.count(); err != nil {
			return nil, err
		}
		text, err := filterText("where."+field+"."+op.name, *op.value)
		if err != nil {
			return nil, err
		}
		parts = append(parts, expr+" "+op.op+" "+c.param(text))
	}
	if f.In != nil {
		if err := c.count(); err != nil {
			return nil, err
		}
		if err := inSize(field, len(f.In)); err != nil {
			return nil, err
		}
		for _, text := range f.In {
			if _, err := filterText("where."+field+".in", text); err != nil {
				return nil, err
			}
		}
		parts = append(parts, expr+" IN "+c.param(f.In))
	}
	return parts, nil
}

// numberOps are the operators of an IntFilter or FloatFilter, nil where absent.
type numberOps struct {
	eq, gt, gte, lt, lte any
	in                   any
	inLen                int
}

func intOps(f *IntFilter) *numberOps {
	if f == nil {
		return nil
	}
	ops := &numberOps{eq: deref(f.Eq), gt: deref(f.Gt), gte: deref(f.Gte), lt: deref(f.Lt), lte: deref(f.Lte), inLen: len(f.In)}
	if f.In != nil {
		ops.in = f.In
	}
	return ops
}

func floatOps(f *FloatFilter) *numberOps {
	if f == nil {
		return nil
	}
	ops := &numberOps{eq: deref(f.Eq), gt: deref(f.Gt), gte: deref(f.Gte), lt: deref(f.Lt), lte: deref(f.Lte), inLen: len(f.In)}
	if f.In != nil {
		ops.in = f.In
	}
	return ops
}

// numberConditions compiles the operators of a number filter on expr.
func (c *whereCompiler) numberConditions(field, expr string, f *numberOps) ([]string, error) {
	if f == nil {
		return nil, nil
	}
	var parts []string
	for _, op := range []struct {
		op    string
		value any
	}{{"=", f.eq}, {">", f.gt}, {">=", f.gte}, {"<", f.lt}, {"<=", f.lte}} {
		if op.value == nil {
			continue
		}
		if err := c.count(); err != nil {
			return nil, err
		}
		parts = append(parts, expr+" "+op.op+" "+c.param(op.value))
	}
	if f.in != nil {
		if err := c.count(); err != nil {
			return nil, err
		}
		if err := inSize(field, f.inLen); err != nil {
			return nil, err
		}
		parts = append(parts, expr+" IN "+c.param(f.in))
	}
	return parts, nil
}

func inSize(field string, n int) error {
	if n > MaxWhereValues {
		return apperr.New(apperr.BadUserInput, "`where.%s.in` takes at most %d values, got %d", field, MaxWhereValues, n)
	}
	return nil
}

// filterText checks a text operand: 1..maxTextLength characters.
func filterText(field, text string) (string, error) {
	if n := len([]rune(text)); n < 1 || n > maxTextLength {
		return "", apperr.New(apperr.BadUserInput, "`%s` must be 1 to %d characters long, got %d", field, maxTextLength, n)
	}
	return text, nil
}

// decodeArg reads an argument as gqlgen's argument map holds it (literals, variables in
// their JSON forms, schema defaults) into the typed input T: the schema already
// validated its shape, so a failure here is a value the types cannot hold (a bad Time).
func decodeArg[T any](name string, raw any) (*T, error) {
	if raw == nil {
		return nil, nil
	}
	encoded, err := json.Marshal(raw)
	if err != nil {
		return nil, apperr.New(apperr.BadUserInput, "argument `%s` is not valid", name)
	}
	var out T
	if err := json.Unmarshal(encoded, &out); err != nil {
		return nil, apperr.New(apperr.BadUserInput, "argument `%s` is not valid: %s", name, jsonProblem(err))
	}
	return &out, nil
}

// jsonProblem says what was wrong without Go type names.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	var timeErr *time.ParseError
	switch {
	case errors.As(err, &typeErr):
		return "`" + typeErr.Field + "` has the wrong type"
	case errors.As(err, &timeErr):
		return "a time is not in RFC 3339 form"
	}
	return "a value does not fit its type"
}

// addWhere adds the compiled tree w (nil: nothing) to the conditions of a relation and
// its parameters to the statement's.
func addWhere[W any](b *builder, conditions []string, compile func(*W, WhereOptions) (Predicate, error), w *W) ([]string, error) {
	if w == nil {
		return conditions, nil
	}
	opts := WhereOptions{Prefix: b.variable("w") + "_"}
	if b.viewer != nil {
		opts.Viewer = &b.viewer.UserID
	}
	pred, err := compile(w, opts)
	if err != nil || pred.Text == "" {
		return conditions, err
	}
	for name, value := range pred.Params {
		b.params[name] = value
	}
	return append(conditions, pred.Text), nil
}

// reviewWhere compiles the where argument of a film's reviews into a relation's condition.
func reviewWhere(b *builder, raw any) (string, error) {
	w, err := decodeArg[ReviewWhere]("where", raw)
	if err != nil {
		return "", err
	}
	conditions, err := addWhere(b, nil, CompileReviewWhere, w)
	return strings.Join(conditions, " AND "), err
}

// movieAnchor returns, when the top level of w requires a credit of one person in one
// role or one genre, a films pattern that starts from that person or genre, so that only
// their films are visited instead of testing every film, and the tree without that
// condition: every row the pattern matches meets it, so testing it again on each row
// (a traversal of the film's genres or credits) is work for nothing (4,974 of the browse
// example's 13,095 db hits). "" and w itself when there is no anchor.
//
// A genre is no anchor when the tree also looks a few films up in an index (a year, a
// title, a rating equal to or in a list, a title's prefix): a genre holds thousands of
// films, and starting from it kept the planner from the index (Drama films of 1994:
// 21,314 db hits from the genre, 10,526 from the year's index). A range (a decade, at
// least 20 ratings) keeps the anchor, and the planner picks where to start: a range
// can hold more films than the genre (the browse example's Sci-Fi films with 20
// ratings or more: 10,035 db hits from the genre, 32,723 from the ratings' index).
func movieAnchor(b *builder, w *MovieWhere) (string, *MovieWhere) {
	if w == nil {
		return "", w
	}
	if c := w.Credit; c != nil && c.As != nil && *c.As != CreditAny {
		if id, err := relay.ParseIntID(c.Person, "Person"); err == nil {
			relType := map[CreditedAs]string{CreditActor: "ACTED_IN", CreditDirector: "DIRECTED"}[*c.As]
			rest := *w
			rest.Credit = nil
			return "({n}:Movie)<-[:" + relType + "]-(:Person {personId: " + b.param(id) + "})", &rest
		}
	}
	if g := w.Genres; g != nil && len(g.Any) == 1 && !looksUp(w) {
		if _, err := genreNames("where.genres.any", g.Any); err != nil {
			return "", w // compiled as written, which reports the error
		}
		genres := *g
		genres.Any = nil
		rest := *w
		rest.Genres = &genres
		return "({n}:Movie)-[:IN_GENRE]->(:Genre {name: " + b.param(g.Any[0]) + "})", &rest
	}
	return "", w
}

// looksUp reports whether w requires, at its top level or in its AND, a condition that a
// film index (seed/schema.go) answers by looking up values rather than a range: eq or in
// on year, title, averageRating or ratingCount, or startsWith on title.
func looksUp(w *MovieWhere) bool {
	if w == nil {
		return false
	}
	for _, f := range []*IntFilter{w.Year, w.RatingCount} {
		if f != nil && (f.Eq != nil || f.In != nil) {
			return true
		}
	}
	if f := w.AverageRating; f != nil && (f.Eq != nil || f.In != nil) {
		return true
	}
	if f := w.Title; f != nil && (f.Eq != nil || f.In != nil || f.StartsWith != nil) {
		return true
	}
	return slices.ContainsFunc(w.And, looksUp)
}
