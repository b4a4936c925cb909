package neo4jtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"filmgraph/internal/neo4jtest"
)

func TestMain(m *testing.M) {
	os.Exit(neo4jtest.Run(m, func(ctx context.Context, d neo4j.DriverWithContext) error {
		_, err := neo4j.ExecuteQuery(ctx, d, "MERGE (:Neo4jtestSeed {name: 'seeded'})", nil,
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
		return err
	}))
}

func TestSeedIsVisibleThroughDriver(t *testing.T) {
	ctx := context.Background()
	res, err := neo4j.ExecuteQuery(ctx, neo4jtest.Driver(t), "MATCH (s:Neo4jtestSeed) RETURN s.name AS name", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 {
		t.Fatalf("got %d seed nodes, want 1", len(res.Records))
	}
}

func TestConnectionDetailsDialOnTheirOwn(t *testing.T) {
	ctx := context.Background()
	d, err := neo4j.NewDriverWithContext(neo4jtest.URI(), neo4j.BasicAuth(neo4jtest.Username(), neo4jtest.Password(), ""))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	if err := d.VerifyConnectivity(ctx); err != nil {
		t.Fatal(err)
	}
}
