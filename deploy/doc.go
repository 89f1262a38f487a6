// Package deploy holds the checks of the deployment files beside it
// (Dockerfile, docker-compose*.yml, the example environments), as tests:
// go test ./deploy, or deploy/check, validates them without Docker and
// builds the binary with the Dockerfile's own go build line.
package deploy
