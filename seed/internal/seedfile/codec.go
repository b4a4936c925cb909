package seedfile

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// gzipBytes compresses b with a fixed level and an empty header (no name, no
// modification time), so the same rows always give the same bytes.
func gzipBytes(b []byte) ([]byte, error) {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// EncodeCSV returns the gzip'd CSV of header plus rows.
func EncodeCSV(header []string, rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(header); err != nil {
		return nil, err
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return gzipBytes(buf.Bytes())
}

// EncodeJSONLines returns the gzip'd JSON lines of values, one per line,
// without HTML escaping so the text stays readable once unzipped.
func EncodeJSONLines[T any](values []T) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, v := range values {
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
	}
	return gzipBytes(buf.Bytes())
}

// DecodeCSV reads a gzip'd CSV, checks its header equals want and calls row
// for every data row. Errors name the line so a bad file is easy to find.
func DecodeCSV(r io.Reader, want []string, row func(rec []string) error) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer zr.Close()
	cr := csv.NewReader(bufio.NewReader(zr))
	cr.FieldsPerRecord = len(want)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("header: %w", err)
	}
	if !slices.Equal(header, want) {
		return fmt.Errorf("header %q, want %q", header, want)
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := row(rec); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}

// DecodeJSONLines reads gzip'd JSON lines and calls fn for every value.
func DecodeJSONLines[T any](r io.Reader, fn func(T) error) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer zr.Close()
	dec := json.NewDecoder(bufio.NewReader(zr))
	dec.DisallowUnknownFields()
	for line := 1; dec.More(); line++ {
		var v T
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if err := fn(v); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
	return nil
}

// Ints parses the given fields as base-10 ints, for CSV rows.
func Ints(fields ...string) ([]int64, error) {
	out := make([]int64, len(fields))
	for i, f := range fields {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}
