package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"fieldlog"
)

// fieldlog audit --since DATE [--record ID] prints the audit trail: one
// line per change, tab-separated so that it pastes into Excel.

// auditCommand runs the audit command with its arguments.
func auditCommand(ctx context.Context, cfg config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("audit", flag.ContinueOnError)
	flags.SetOutput(stderr)
	since := flags.String("since", "", "first day to print, as 2006-01-02 in FIELDLOG_TZ (required)")
	record := flags.String("record", "", "print only the entries of this record")
	if err := flags.Parse(args); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("audit: unexpected %q; use: fieldlog audit --since DATE [--record ID]", strings.Join(flags.Args(), " "))
	}
	if *since == "" {
		return errors.New("audit: --since DATE is required, e.g. --since 2024-06-01")
	}
	day, err := fieldlog.ParseISODate(*since)
	if err != nil {
		return fmt.Errorf("audit: --since: %w", err)
	}
	store, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	return writeAudit(ctx, store, day.Time(cfg.location), fieldlog.ActivityID(*record), cfg.location, stdout)
}

// auditReader is what the audit command reads.
type auditReader interface {
	AuditSince(ctx context.Context, since time.Time, fn func(fieldlog.AuditEntry) error) error
}

// auditHeader names the columns; the changes take one column each.
const auditHeader = "time\tactor\tname\taction\tsubject\tchanges"

// writeAudit prints the entries made since since (of record only, unless
// it is empty), oldest first, times in loc.
func writeAudit(ctx context.Context, r auditReader, since time.Time, record fieldlog.ActivityID, loc *time.Location, w io.Writer) error {
	out := bufio.NewWriter(w)
	fmt.Fprintln(out, auditHeader)
	only := fieldlog.RecordSubject(record)
	err := r.AuditSince(ctx, since, func(e fieldlog.AuditEntry) error {
		if record != "" && e.Subject != only {
			return nil
		}
		cols := []string{
			e.At.In(loc).Format(time.DateTime),
			strconv.FormatInt(e.Actor, 10),
			cell(e.ActorName),
			string(e.Action),
			cell(string(e.Subject.Kind) + ":" + e.Subject.ID),
		}
		for _, c := range e.Changes {
			cols = append(cols, cell(c.Field+": "+c.Old+" → "+c.New))
		}
		_, err := fmt.Fprintln(out, strings.Join(cols, "\t"))
		return err
	})
	if err != nil {
		return fmt.Errorf("read the audit trail: %w", err)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write the audit trail: %w", err)
	}
	return nil
}

// cell makes text safe for one cell of a pasted table: no tab or line
// break splits it, and Excel does not take what a user wrote for a
// formula.
func cell(s string) string {
	s = strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		s = "'" + s
	}
	return s
}
