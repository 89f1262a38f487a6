package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"fieldlog/storage"
)

// exportStore is "fieldlog export --out DIR": every collection of the
// store, as storage.Export writes them, into a new directory. The bot must
// be stopped (the embedded store's directory is locked while it runs).
func exportStore(ctx context.Context, cfg config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	flags.SetOutput(stderr)
	out := flags.String("out", "", "new `directory` to write the export to")
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // the usage is printed
	} else if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if *out == "" || flags.NArg() != 0 {
		return errors.New("usage: fieldlog export --out DIR")
	}
	store, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	m, err := store.Export(ctx, *out)
	if err = errors.Join(err, closeStore(ctx, store)); err != nil {
		return fmt.Errorf("export to %s: %w", *out, err)
	}
	fmt.Fprintf(stdout, "exported %d collections, %d documents to %s\n", len(m.Collections), m.Documents(), *out)
	return nil
}

// importStore is "fieldlog import [--into-nonempty] DIR": an export loaded
// into the store, which must be empty unless --into-nonempty is given.
func importStore(ctx context.Context, cfg config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("import", flag.ContinueOnError)
	flags.SetOutput(stderr)
	intoNonEmpty := flags.Bool("into-nonempty", false, "import into a database that holds documents; those with the same _id are kept as they are")
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // the usage is printed
	} else if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if flags.NArg() != 1 {
		return errors.New("usage: fieldlog import [--into-nonempty] DIR")
	}
	dir := flags.Arg(0)
	// Before the store is opened: a directory that is no export is told
	// at once, without starting the embedded server.
	if _, err := storage.ReadManifest(dir); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	store, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	m, err := store.Import(ctx, dir, storage.ImportOptions{IntoNonEmpty: *intoNonEmpty})
	if errors.Is(err, storage.ErrNotEmpty) {
		err = fmt.Errorf("%w (nothing was written; add --into-nonempty to import all the same, keeping the documents there)", err)
	}
	if err = errors.Join(err, closeStore(ctx, store)); err != nil {
		return fmt.Errorf("import %s: %w", dir, err)
	}
	kept := ""
	if n := m.Kept(); n > 0 {
		kept = fmt.Sprintf(" (%d already there, kept as they were)", n)
	}
	fmt.Fprintf(stdout, "imported %d collections, %d documents from %s%s\n", len(m.Collections), m.Documents()-m.Kept(), dir, kept)
	return nil
}

// closeStore closes a store a command opened. Its error is the command's:
// an import is done only once the store has closed cleanly.
func closeStore(ctx context.Context, store *storage.Store) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := store.Close(ctx); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}
