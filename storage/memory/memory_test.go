package memory_test

import (
	"testing"

	"fieldlog/storage/contract"
	"fieldlog/storage/memory"
)

// TestContract holds the in-memory store to the contract the MongoDB store
// passes, so that engine tests on it mean something.
func TestContract(t *testing.T) {
	contract.Run(t, func(*testing.T) contract.Store { return memory.New() })
}
