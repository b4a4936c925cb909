package seed

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/auth"
)

// Usernames and emails are unique, and looked up, by their case-folded keys
// (auth.IdentityKey), held next to the display form in usernameKey and emailKey. Users
// written before the keys existed (a database seeded or signed up into by an older
// filmgraph) get theirs from EnsureAccountKeys, which every start runs.

const (
	keylessUsersCypher = `MATCH (u:User) WHERE u.usernameKey IS NULL OR (u.email IS NOT NULL AND u.emailKey IS NULL)
RETURN u.userId AS userId, u.username AS username, u.email AS email ORDER BY userId`

	// A key some other member already holds is not set: uniqueness would refuse it. The
	// member keeps no key (and cannot log in) until renamed; EnsureAccountKeys reports it.
	setAccountKeysCypher = `UNWIND $rows AS row
MATCH (u:User {userId: row.userId})
WITH u, row,
     row.usernameKey IS NOT NULL AND NOT EXISTS { MATCH (o:User {usernameKey: row.usernameKey}) WHERE o <> u } AS usernameFree,
     row.emailKey IS NOT NULL AND NOT EXISTS { MATCH (o:User {emailKey: row.emailKey}) WHERE o <> u } AS emailFree
SET u.usernameKey = CASE WHEN usernameFree THEN row.usernameKey ELSE u.usernameKey END,
    u.emailKey = CASE WHEN emailFree THEN row.emailKey ELSE u.emailKey END
WITH u, row WHERE u.usernameKey IS NULL OR (row.emailKey IS NOT NULL AND u.emailKey IS NULL)
RETURN u.username AS username`
)

// EnsureAccountKeys creates the uniqueness constraints on the users' keys and gives every
// user without keys its keys. When two members' names or emails differ only in case (or in
// Unicode compatibility form), the one with the lowest userId keeps the key; the usernames
// of the others are returned, for the caller to report: they cannot log in until an
// administrator renames them. Idempotent, and one read when there is nothing to do.
func EnsureAccountKeys(ctx context.Context, d neo4j.DriverWithContext, database string) (unkeyed []string, err error) {
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: database, AccessMode: neo4j.AccessModeWrite})
	defer s.Close(ctx)
	if err := runSchema(ctx, s, accountKeyConstraints); err != nil {
		return nil, err
	}
	users, err := neo4j.ExecuteRead(ctx, s, func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		res, err := tx.Run(ctx, keylessUsersCypher, nil)
		if err != nil {
			return nil, err
		}
		return res.Collect(ctx)
	})
	if err != nil {
		return nil, fmt.Errorf("seed: reading users without keys: %w", err)
	}
	// Two of these users may share a key: the first (lowest userId) gets it, since one
	// UNWIND would not see its own earlier rows' keys.
	taken := map[string]bool{}
	claim := func(v any) any {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		key := auth.IdentityKey(s)
		if taken[key] {
			return nil
		}
		taken[key] = true
		return key
	}
	var rows []any
	for _, u := range users {
		m := u.AsMap()
		rows = append(rows, map[string]any{"userId": m["userId"], "usernameKey": claim(m["username"]), "emailKey": claim(m["email"])})
	}
	for lo := 0; lo < len(rows); lo += batchSize {
		batch := rows[lo:min(lo+batchSize, len(rows))]
		names, err := neo4j.ExecuteWrite(ctx, s, func(tx neo4j.ManagedTransaction) ([]string, error) {
			res, err := tx.Run(ctx, setAccountKeysCypher, map[string]any{"rows": batch})
			if err != nil {
				return nil, err
			}
			var names []string
			for res.Next(ctx) {
				name, _ := res.Record().Values[0].(string)
				names = append(names, name)
			}
			return names, res.Err()
		})
		if err != nil {
			return nil, fmt.Errorf("seed: setting account keys: %w", err)
		}
		unkeyed = append(unkeyed, names...)
	}
	return unkeyed, nil
}
