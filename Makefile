# gospark — the two set-up commands are `make shell` and `make test`.

GO ?= go

.PHONY: shell test build bench vet

# Start gospark-shell on the embedded local cluster (local[*]).
shell:
	$(GO) run ./cmd/gospark-shell

# The whole test suite, as CI runs it.
test:
	$(GO) vet ./...
	$(GO) test -race -timeout 20m ./...

# Build every command into ./bin.
build:
	mkdir -p bin
	$(GO) build -o bin/ ./cmd/...

# Engine benchmarks: scheduling throughput and word count MB/s.
bench:
	$(GO) test ./engine/ -run XXX -bench 'EmptyTasks|WordCount' -benchtime 3x
