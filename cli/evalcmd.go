package cli

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"filmgraph/recommend/eval"
)

// runEval runs the offline evaluation of recommendations (`go run . eval [--tune]`) in its
// own throw-away bundled Neo4j; NEO4J_URI is not used, as it loads a partial seed.
func runEval(log *slog.Logger, tune bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	err := eval.Run(ctx, eval.Options{Tune: tune, Out: os.Stdout, Log: os.Stderr})
	log.Info("eval finished", "elapsed", time.Since(start).Round(time.Second))
	return err
}
