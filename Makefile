# The two commands: `make demo` and `make test`. Both install missing Debian packages. demo builds
# the Release binary (build/staycast; `make build-all` adds the tests and benchmarks) and runs the
# demo; test builds with AddressSanitizer + UBSan into build-asan/ and runs the whole test suite
# under both sanitizers (scripts/test.sh).
JOBS ?= $(shell nproc)

.PHONY: deps build build-all demo test test-release test-asan check-format check-tidy format bench bench-quick clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target staycast

build-all: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

demo: build
	@bash scripts/demo.sh

test: deps
	@bash scripts/test.sh

test-release: build-all
	@ctest --preset release -j $(JOBS)

test-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

check-format:
	@bash scripts/check-format.sh

check-tidy: build
	@bash scripts/check-tidy.sh

format:
	@(git ls-files '*.cc' '*.h'; git ls-files --others --exclude-standard '*.cc' '*.h') | sort -u | xargs -r clang-format -i

bench: build-all
	@bash bench/install-peers.sh
	@/usr/bin/python3 bench/run $(BENCH_ARGS)

bench-quick: build-all
	@bash bench/install-peers.sh
	@/usr/bin/python3 bench/run --quick

clean:
	@rm -rf build build-asan build-debug build-tidy bench-out
