package conversation_test

import (
	"context"

	"fieldlog/conversation"
	"fieldlog/office"
)

// engineOf is an engine of cfg over an office of the same store,
// catalogue and clock, with admins, that tells users through the engine,
// as cmd/fieldlog wires them.
func engineOf(cfg conversation.Config, admins ...int64) *conversation.Engine {
	var e *conversation.Engine
	cfg.Office = office.New(office.Config{Store: cfg.Store, Catalog: cfg.Catalog, Messages: cfg.Messages, Location: cfg.Location, Now: cfg.Now, Admins: admins, Logger: cfg.Logger,
		Teller: office.TellerFunc(func(ctx context.Context, ev office.Event) { e.Tell(ctx, ev) })})
	e = conversation.New(cfg)
	return e
}
