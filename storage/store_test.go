package storage_test

import (
	"testing"

	"fieldlog/storage/contract"
	"fieldlog/storage/storagetest"
)

// TestContract runs the store contract against the embedded server, or
// against the MongoDB of MONGODB_TEST_URI when it is set.
func TestContract(t *testing.T) {
	contract.Run(t, func(t *testing.T) contract.Store { return storagetest.New(t) })
}
