package main

import (
	"errors"
	"log/slog"
)

func runEval(log *slog.Logger, args []string) error { return errors.New("todo") }
