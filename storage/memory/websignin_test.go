package memory_test

import (
	"testing"

	"fieldlog/storage/contract"
	"fieldlog/storage/memory"
)

// TestWebContract holds the in-memory web sign-in store to the contract
// the MongoDB store passes.
func TestWebContract(t *testing.T) {
	contract.RunWeb(t, func(*testing.T) contract.WebStore { return memory.New() })
}
