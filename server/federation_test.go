package server

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"filmgraph/relay"
)

// filmgraph as an Apollo Federation 2 subgraph: its `_service` SDL, and `_entities` read
// with one statement per entity type.

const entitiesQuery = `query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    __typename
    ... on Movie { id title year }
    ... on Person { id name }
  }
}`

// TestFederationEntities: a gateway's references to films and people come back in order,
// equal to the graph, null where nothing matches, for one statement per entity type.
func TestFederationEntities(t *testing.T) {
	film := cypherRows(t, "MATCH (m:Movie {movieId: $id}) RETURN m.title AS title, m.year AS year", map[string]any{"id": referenceMovieLensID})[0]
	person := cypherRows(t, "MATCH (p:Person {personId: 2363}) RETURN p.name AS name", nil)[0]
	reps := []map[string]any{
		{"__typename": "Movie", "id": movieID(referenceMovieLensID)},
		{"__typename": "Person", "id": relay.ID("Person", "2363")},
		{"__typename": "Movie", "id": movieID(999999999)},
		{"__typename": "Movie", "id": movieID(2571), "extra": "ignored"},
	}
	var got struct {
		Entities []map[string]any `json:"_entities"`
	}
	trips := mustQuery(t, entitiesQuery, map[string]any{"reps": reps}, &got)
	if len(got.Entities) != 4 {
		t.Fatalf("%d entities for 4 representations: %+v", len(got.Entities), got.Entities)
	}
	if e := got.Entities[0]; e["__typename"] != "Movie" || e["title"] != film["title"] || e["year"] != float64(film["year"].(int64)) {
		t.Errorf("movie entity %v, want %v", e, film)
	}
	if e := got.Entities[1]; e["__typename"] != "Person" || e["name"] != person["name"] {
		t.Errorf("person entity %v, want %v", e, person)
	}
	if got.Entities[2] != nil || got.Entities[3]["id"] != movieID(2571) {
		t.Errorf("unknown film %v, known film %v", got.Entities[2], got.Entities[3])
	}
	if trips != 2 {
		t.Errorf("4 representations of 2 types cost %d statements, want 2", trips)
	}

	// Up to 100 of a type in one statement; more are refused before any.
	many := make([]map[string]any, 101)
	for i := range many {
		many[i] = map[string]any{"__typename": "Movie", "id": movieID(i + 1)}
	}
	if trips := mustQuery(t, entitiesQuery, map[string]any{"reps": many[:100]}, &got); trips != 1 || len(got.Entities) != 100 {
		t.Errorf("100 films: %d statements, %d entities; want 1 and 100", trips, len(got.Entities))
	}
	status, resp, trips := post(t, entitiesQuery, map[string]any{"reps": many})
	if status != 200 || !slices.Contains(resp.codes(), "BAD_USER_INPUT") || trips != 0 {
		t.Errorf("101 films: status %d, codes %v, %d statements", status, resp.codes(), trips)
	}
}

// TestFederationBadRepresentations: representations no gateway of this schema sends are
// BAD_USER_INPUT, before any statement.
func TestFederationBadRepresentations(t *testing.T) {
	for name, rep := range map[string]map[string]any{
		"another type":       {"__typename": "Genre", "id": "R2VucmU6RHJhbWE"},
		"no type":            {"id": movieID(1)},
		"no id":              {"__typename": "Movie"},
		"an id of a person":  {"__typename": "Movie", "id": relay.ID("Person", "2363")},
		"an id that is none": {"__typename": "Person", "id": "not an id"},
		"a number as id":     {"__typename": "Movie", "id": 80969},
	} {
		status, resp, trips := post(t, entitiesQuery, map[string]any{"reps": []any{rep}})
		if status != 200 || !slices.Equal(resp.codes(), []string{"BAD_USER_INPUT"}) || trips != 0 {
			t.Errorf("%s: status %d, errors %+v, %d statements; want BAD_USER_INPUT and none", name, status, resp.Errors, trips)
		}
	}
}

// TestFederationComposes: the subgraph SDL (`_service { sdl }`) keys Movie and Person by
// id, and Apollo's composition library composes it with another subgraph that extends
// both (compose.mjs).
func TestFederationComposes(t *testing.T) {
	var service struct {
		Service struct{ SDL string } `json:"_service"`
	}
	mustQuery(t, `{ _service { sdl } }`, nil, &service)
	for _, want := range []string{`extend type Movie @key(fields: "id")`, `extend type Person @key(fields: "id")`, `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3"`} {
		if !strings.Contains(strings.Join(strings.Fields(service.Service.SDL), " "), want) {
			t.Errorf("the subgraph SDL lacks %s", want)
		}
	}
	var result struct {
		Errors                    []string
		Hints                     int
		MovieFields, PersonFields []string
	}
	runNode(t, "compose.mjs", &result)
	for _, e := range result.Errors {
		t.Errorf("composition: %s", e)
	}
	for typ, fields := range map[string][]string{"Movie": result.MovieFields, "Person": result.PersonFields} {
		own := map[string]string{"Movie": "title", "Person": "name"}[typ]
		other := map[string]string{"Movie": "inWatchlists", "Person": "followers"}[typ]
		if !slices.Contains(fields, own) || !slices.Contains(fields, other) {
			t.Errorf("supergraph %s has %v, want %s (filmgraph) and %s (the other subgraph)", typ, fields, own, other)
		}
	}
	t.Logf("composed with %d hints; supergraph Movie: %s", result.Hints, fmt.Sprint(result.MovieFields))
}
