package cypher

import (
	"strings"
)

// Tags as entities: keyed by their (lower-cased, unique) name, each with its films.

func init() {
	nodeTypes = append(nodeTypes, nodeType{t: tagType})
	define(tagType, map[string]fieldFunc{
		"id":         computed,
		"movieCount": countOf("({p})<-[:TAGGED]-()"),
		"movies": connection(relation{
			pattern: "({p})<-[{r}:TAGGED]-({n})",
			orderBy: "{r}.count DESC, {n}.title, {n}.movieId",
		}, movieEdgeType),
	})
	define(tagCountType, map[string]fieldFunc{
		"tag": nested(tagType), // a film's TagCount is read with the tag as its node
	})
}

// Tag returns the statement for the current field (a Tag) of the tag named name, in any
// case. It yields no row when there is no such tag.
func Tag(req Request, name string) (Statement, error) {
	return entity(req, tagType, strings.ToLower(name))
}
