# Thin wrapper over CMake.  `make run` and `make test` are the two commands a new
# machine needs; both install missing Debian packages first (scripts/deps.sh).
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
JOBS ?= 2

.PHONY: all deps build test asan fuzz bench run clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

test: build
	@bash scripts/ctest.sh $(BUILD) $(JOBS)

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DKIOSK_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@ASAN_OPTIONS=detect_leaks=1 bash scripts/ctest.sh $(ASAN_BUILD) $(JOBS)

# Every libFuzzer target (tests/fuzz/fuzz_*.c) for FUZZ_SECONDS each, with clang and
# ASan+UBSan; crashes are left in $(FUZZ_BUILD)/fuzz/NAME/ (scripts/fuzz.sh).
fuzz:
	@bash scripts/deps.sh fuzz
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DKIOSK_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_all
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh $(FUZZ_BUILD)

bench: build
	@bash bench/run.sh $(BUILD)

run: build
	@bash scripts/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
