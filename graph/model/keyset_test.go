package model

import (
	"slices"
	"testing"

	"filmgraph/cypher"
)

// A keyset page is read with one item more than its size when pageInfo is selected: the
// Go side drops that item (the last read: the list's last, or its first when a backward
// page was reversed into list order) and reports that more follow.
func TestKeysetPageDropsTheItemReadPastThePage(t *testing.T) {
	cases := []struct {
		name     string
		items    []int
		reversed bool
		want     []int
		more     bool
	}{
		{"forwards, one more", []int{1, 2, 3, 4}, false, []int{1, 2, 3}, true},
		{"backwards, one more", []int{0, 1, 2, 3}, true, []int{1, 2, 3}, true},
		{"the last page", []int{1, 2}, false, []int{1, 2}, false},
		{"exactly full", []int{1, 2, 3}, true, []int{1, 2, 3}, false},
		{"empty", nil, false, nil, false},
	}
	for _, tc := range cases {
		got, more := keysetPage(tc.items, 3, tc.reversed)
		if !slices.Equal(got, tc.want) || more != tc.more {
			t.Errorf("%s: got %v, %v; want %v, %v", tc.name, got, more, tc.want, tc.more)
		}
	}
}

func TestKeysetPageInfoFromTheEdges(t *testing.T) {
	edge := func(key string) any { return map[string]any{cypher.KeyCursor: []any{key}} }
	for _, backward := range []bool{false, true} {
		edges := []any{edge("a"), edge("b"), edge("c")} // list order; one more than 2
		want := [2]string{"a", "b"}
		if backward {
			want = [2]string{"b", "c"}
		}
		c := connection{Record{
			cypher.KeyFirst: int64(2), cypher.KeyBackward: backward, cypher.KeyOutside: true, cypher.KeyOrder: "o",
			cypher.KeyPageKeys: nil, cypher.KeyPageEdges: "items", "items": edges,
		}}
		info := c.keysetPageInfo()
		if !info.HasNextPage || !info.HasPreviousPage {
			t.Errorf("backward %v: %+v, want more on both sides", backward, info)
		}
		if *info.StartCursor != c.keyset().Cursor([]any{want[0]}) || *info.EndCursor != c.keyset().Cursor([]any{want[1]}) {
			t.Errorf("backward %v: cursors are not those of %v", backward, want)
		}
	}
}
