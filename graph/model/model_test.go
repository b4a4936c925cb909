package model_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"filmgraph/apperr"
	"filmgraph/cypher"
	"filmgraph/graph/model"
	"filmgraph/relay"
)

// Tests of the views over the rows a statement returns: each getter reads its value by
// the response name of the field being resolved, and a non-null value the row lacks is an
// internal error, never a silent "" or 0.

// resolving returns the context gqlgen gives the resolver of field name of object, selected
// under alias ("" for none).
func resolving(object, name, alias string) context.Context {
	if alias == "" {
		alias = name
	}
	return graphql.WithFieldContext(context.Background(), &graphql.FieldContext{
		Object: object,
		Field:  graphql.CollectedField{Field: &ast.Field{Name: name, Alias: alias}},
	})
}

// wantMissing checks that err reports the non-null field object.name as missing from the
// row: an internal error for the client, whose cause names the field for the log.
func wantMissing(t *testing.T, err error, object, name string) {
	t.Helper()
	if apperr.CodeOf(err) != apperr.Internal {
		t.Fatalf("%s.%s: got %v, want an INTERNAL_SERVER_ERROR", object, name, err)
	}
	var coded *apperr.Error
	if !errors.As(err, &coded) || coded.Message != "internal error" {
		t.Errorf("%s.%s: the client sees %q, want \"internal error\"", object, name, err)
	}
	if cause := coded.Unwrap(); cause == nil || !strings.Contains(cause.Error(), object+"."+name) {
		t.Errorf("%s.%s: the logged cause %v does not name the field", object, name, cause)
	}
}

func TestGettersReadTheirResponseName(t *testing.T) {
	movie := model.NewMovie(model.Record{"title": "Heat", "original": "Heat (1995)", "year": int64(1995), "synopsis": "A heist."})
	for alias, want := range map[string]string{"": "Heat", "original": "Heat (1995)"} {
		got, err := movie.Title(resolving("Movie", "title", alias))
		if err != nil || got != want {
			t.Errorf("title as %q = %q, %v; want %q", alias, got, err, want)
		}
	}
	if y := movie.Year(resolving("Movie", "year", "")); y == nil || *y != 1995 {
		t.Errorf("year = %v, want 1995", y)
	}
	if s := movie.Synopsis(resolving("Movie", "synopsis", "")); s == nil || *s != "A heist." {
		t.Errorf("synopsis = %v", s)
	}
}

func TestMissingNonNullValuesAreErrors(t *testing.T) {
	// A projection that forgot fields, or carries them with the wrong type.
	row := model.Record{"count": "12", "order": 1.5}
	if _, err := model.NewMovie(row).Title(resolving("Movie", "title", "")); err == nil {
		t.Error("a film without its title answered no error")
	} else {
		wantMissing(t, err, "Movie", "title")
	}
	summary := model.RatingSummary{Record: row}
	_, err := summary.Count(resolving("RatingSummary", "count", ""))
	wantMissing(t, err, "RatingSummary", "count")
	_, err = model.CastCredit{Record: row}.Order(resolving("CastCredit", "order", ""))
	wantMissing(t, err, "CastCredit", "order")
	_, err = model.NewUser(row).JoinedAt(resolving("User", "joinedAt", ""))
	wantMissing(t, err, "User", "joinedAt")
	_, err = model.ViewerState{Record: row}.InCollection(resolving("ViewerState", "inCollection", ""))
	wantMissing(t, err, "ViewerState", "inCollection")
	_, err = model.NewMovieConnection(row).TotalCount(resolving("MovieConnection", "totalCount", ""))
	wantMissing(t, err, "MovieConnection", "totalCount")
	_, err = model.Recommendation{Record: row}.Score(resolving("Recommendation", "score", ""))
	wantMissing(t, err, "Recommendation", "score")
	_, err = searchEdge(row).Score(resolving("SearchEdge", "score", ""))
	wantMissing(t, err, "SearchEdge", "score")
	if score, err := searchEdge(model.Record{"score": 2.5}).Score(resolving("SearchEdge", "score", "")); err != nil || score != 2.5 {
		t.Errorf("a search hit's score: %v, %v", score, err)
	}
}

func TestMissingNullableValuesAreNull(t *testing.T) {
	movie := model.NewMovie(model.Record{"year": "1995"}) // wrong type: not a year
	if y := movie.Year(resolving("Movie", "year", "")); y != nil {
		t.Errorf("year = %v, want null", *y)
	}
	if c := movie.Cover(resolving("Movie", "cover", "")); c != nil {
		t.Errorf("cover = %v, want null", c)
	}
	if model.NewMovie(nil) != nil || model.NewPerson(nil) != nil {
		t.Error("a missing entity is not null")
	}
}

func TestNumbersAndTimesInTheirDriverForms(t *testing.T) {
	// Neo4j returns round(x, 1) of an integer average as a float, but a whole float
	// literal may come back as an integer: both are a Float.
	for _, v := range []any{int64(8), 8.0} {
		avg := model.RatingSummary{Record: model.Record{"average": v}}.Average(resolving("RatingSummary", "average", ""))
		if avg == nil || *avg != 8 {
			t.Errorf("average of %T 8 = %v", v, avg)
		}
	}
	when := time.Date(2018, 9, 24, 3, 0, 0, 0, time.UTC)
	for _, v := range []any{when, dbtype.LocalDateTime(when)} {
		got := ratingEdge(model.Record{"ratedAt": v}).RatedAt(resolving("RatingEdge", "ratedAt", ""))
		if got == nil || !got.Equal(when) {
			t.Errorf("ratedAt of %T = %v, want %v", v, got, when)
		}
	}
}

func TestEntityIDsAreGlobalIDsOfTheirKey(t *testing.T) {
	movie := model.NewMovie(model.Record{cypher.KeyID: int64(862)})
	typeName, key, err := relay.ParseID(movie.ID())
	if err != nil || typeName != "Movie" || key != "862" {
		t.Errorf("id %q decodes to %q %q %v", movie.ID(), typeName, key, err)
	}
	genre := model.NewGenre(model.Record{cypher.KeyID: "Film-Noir"})
	if typeName, key, _ := relay.ParseID(genre.ID()); typeName != "Genre" || key != "Film-Noir" {
		t.Errorf("genre id decodes to %q %q", typeName, key)
	}
}

func TestOffsetPageInfo(t *testing.T) {
	cases := []struct {
		name                   string
		offset, first, total   int64
		next, previous         bool
		startOffset, endOffset int // -1: no cursor
	}{
		{"first page", 0, 10, 25, true, false, 0, 9},
		{"last, short page", 20, 10, 25, false, true, 20, 24},
		{"past the end", 30, 10, 25, false, true, -1, -1},
		{"empty list", 0, 10, 0, false, false, -1, -1},
	}
	for _, c := range cases {
		conn := model.NewSearchConnection(model.Record{cypher.KeyOffset: c.offset, cypher.KeyFirst: c.first, cypher.KeyTotal: c.total})
		info, err := conn.PageInfo(resolving("SearchConnection", "pageInfo", ""))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if info.HasNextPage != c.next || info.HasPreviousPage != c.previous {
			t.Errorf("%s: next %v previous %v, want %v %v", c.name, info.HasNextPage, info.HasPreviousPage, c.next, c.previous)
		}
		for _, cursor := range []struct {
			got  *string
			want int
		}{{info.StartCursor, c.startOffset}, {info.EndCursor, c.endOffset}} {
			if cursor.want < 0 {
				if cursor.got != nil {
					t.Errorf("%s: a cursor on an empty page", c.name)
				}
				continue
			}
			if cursor.got == nil {
				t.Errorf("%s: no cursor, want offset %d", c.name, cursor.want)
				continue
			}
			if offset, err := relay.ParseCursor(cursor.got); err != nil || offset != cursor.want {
				t.Errorf("%s: cursor of offset %d, %v; want %d", c.name, offset, err, cursor.want)
			}
		}
	}
}

func TestKeysetPageInfoAndEdgeCursors(t *testing.T) {
	const order = "o1"
	keys := []any{[]any{"Alien", int64(1)}, []any{"Brazil", int64(2)}, []any{"Casablanca", int64(3)}}
	edge := func(k any) any { return map[string]any{cypher.KeyCursor: k, "node": map[string]any{"title": "x"}} }
	row := model.Record{
		cypher.KeyFirst: int64(2), cypher.KeyOrder: order, cypher.KeyBackward: false, cypher.KeyOutside: true,
		cypher.KeyPageKeys: keys, // two items and one more: a next page
		"edges":            []any{edge(keys[0]), edge(keys[1])},
	}
	conn := model.NewMovieConnection(row)
	info, err := conn.PageInfo(resolving("MovieConnection", "pageInfo", ""))
	if err != nil || !info.HasNextPage || !info.HasPreviousPage {
		t.Fatalf("pageInfo %+v, %v; want a next and a previous page", info, err)
	}
	decode := func(cursor string) []any {
		values, err := relay.ParseKeysetCursor(cursor, order, 2)
		if err != nil {
			t.Fatalf("cursor %q: %v", cursor, err)
		}
		return values
	}
	if got := decode(*info.StartCursor); got[0] != "Alien" || got[1] != int64(1) {
		t.Errorf("startCursor holds %v", got)
	}
	if got := decode(*info.EndCursor); got[0] != "Brazil" {
		t.Errorf("endCursor holds %v, want the page's last item, not the one read past it", got)
	}
	edges := conn.Edges(resolving("MovieConnection", "edges", ""))
	if len(edges) != 2 || decode(edges[1].Cursor())[0] != "Brazil" {
		t.Errorf("edges %v", edges)
	}

	// Read backwards (last/before), the keys come newest first and the roles swap.
	row[cypher.KeyBackward], row[cypher.KeyOutside] = true, false
	info, _ = model.NewMovieConnection(row).PageInfo(resolving("MovieConnection", "pageInfo", ""))
	if info.HasNextPage || !info.HasPreviousPage || decode(*info.StartCursor)[0] != "Brazil" || decode(*info.EndCursor)[0] != "Alien" {
		t.Errorf("backwards: %+v", info)
	}
}

// TestPageInfoWithoutTheTotal checks that only hasPreviousPage is answered when the
// statement did not count the connection: asking more of it is a translation bug.
func TestPageInfoWithoutTheTotal(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { c: C } type C { pageInfo: PageInfo! }
		type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! }`})
	row := model.Record{cypher.KeyOffset: int64(10), cypher.KeyFirst: int64(10)}
	for query, wantErr := range map[string]bool{
		`{ c { pageInfo { hasPreviousPage } } }`:             false,
		`{ c { pageInfo { hasPreviousPage hasNextPage } } }`: true,
	} {
		doc := gqlparser.MustLoadQuery(schema, query)
		op := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{}}
		pageInfo := doc.Operations[0].SelectionSet[0].(*ast.Field).SelectionSet[0].(*ast.Field)
		ctx := graphql.WithFieldContext(graphql.WithOperationContext(context.Background(), op), &graphql.FieldContext{
			Object: "C", Field: graphql.CollectedField{Field: pageInfo, Selections: pageInfo.SelectionSet},
		})
		info, err := model.NewMovieConnection(row).PageInfo(ctx)
		switch {
		case wantErr:
			wantMissing(t, err, "C", "pageInfo")
		case err != nil || !info.HasPreviousPage:
			t.Errorf("%s: %+v, %v", query, info, err)
		}
	}
}

// searchEdge is the edge of a search connection whose one hit is row.
func searchEdge(row model.Record) *model.SearchEdge {
	return model.NewSearchConnection(model.Record{"edges": []any{map[string]any(row)}}).Edges(resolving("SearchConnection", "edges", ""))[0]
}

// ratingEdge is the edge of the viewer's ratings whose one rating is row.
func ratingEdge(row model.Record) *model.RatingEdge {
	me := model.NewMe(model.Record{"ratings": map[string]any{"edges": []any{map[string]any(row)}}})
	return me.Ratings(resolving("Me", "ratings", ""), nil, nil, nil, nil).Edges(resolving("RatingConnection", "edges", ""))[0]
}
