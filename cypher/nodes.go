package cypher

import (
	"strconv"

	"filmgraph/apperr"
)

// NodeRef is a decoded global id: a type name and its key.
type NodeRef struct {
	Type string
	Key  string
}

// nodeType is an entity type that `node` and `nodes` resolve, with how its key is typed in
// the graph and, for types some viewers may not see, a visibility condition on node n.
type nodeType struct {
	t       *objectType
	intKey  bool
	visible func(b *builder, n string) string
}

// nodeTypes are the entity types that `node` and `nodes` resolve; feature files append
// theirs in init.
var nodeTypes = []nodeType{
	{t: movieType, intKey: true},
	{t: personType, intKey: true},
	{t: genreType},
}

// Nodes returns the statement for req's field, Query.nodes: one list holding, in
// order, each entity's projection (typed with KeyType), or null where none matches.
func Nodes(req Request, refs []NodeRef) (Statement, error) {
	if len(refs) > MaxPageSize {
		return Statement{}, apperr.New(apperr.BadUserInput, "`ids` may hold at most %d ids, got %d", MaxPageSize, len(refs))
	}
	b := newBuilder(req)
	selections := req.Field.Selections
	entries := make([]any, len(refs))
	branches := ""
	intKeys := map[string]bool{}
	for _, nt := range nodeTypes {
		name := nt.t.name
		intKeys[name] = nt.intKey
		n := b.variable("n")
		proj, err := b.project(nt.t, scope{node: n}, selections)
		if err != nil {
			return Statement{}, err
		}
		where := ""
		if nt.visible != nil {
			where = " WHERE " + nt.visible(b, n)
		}
		branches += " WHEN '" + name + "' THEN head(COLLECT { MATCH (" + n + ":" + nt.t.label + " {" + nt.t.key +
			": entry.key})" + where + " RETURN " + typed(proj, name) + " })"
	}
	for i, ref := range refs {
		var key any = ref.Key
		if intKeys[ref.Type] {
			n, err := strconv.ParseInt(ref.Key, 10, 64)
			if err != nil {
				key = nil // matches nothing: an unknown id is null
			} else {
				key = n
			}
		}
		entries[i] = map[string]any{"type": ref.Type, "key": key}
	}
	return b.statement("RETURN [entry IN " + b.param(entries) + " | CASE entry.type" + branches + " END] AS this"), nil
}
