# Rectifier: the two commands are `make run` and `make test`; everything else is set-up.
#
# Release builds use code generation for this CPU (AVX2/FMA, AVX-512 where the CPU has it) by
# default. That is an option, not a need: the Float activation kernels are compiled for
# baseline x86-64, AVX2 + FMA and AVX-512 and chosen at run time, so `make build NATIVE=` (or a
# dependant's plain `swift build -c release`) gets them at full speed in a binary that runs on
# any x86-64 CPU; the Swift loops (the copy, PReLU, Double) then run baseline code. The flags
# live here, not in Package.swift, so the package stays usable as a dependency.

SWIFT        ?= swift
NATIVE       ?= -Xswiftc -target-cpu -Xswiftc native -Xcc -march=native
RELEASE_FLAGS = -c release $(NATIVE) -Xswiftc -enforce-exclusivity=unchecked -Xcc -fno-math-errno
BIN           = .build/release/rectifier
VENV          = .build/venv
APT_PACKAGES  = pkg-config libopenblas-dev zlib1g-dev libpng-dev dataset-fashion-mnist
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps peer-venv build run report-check test exhaustive sanitize sanitize-address sanitize-thread fuzz fuzz-idx fuzz-safetensors fuzz-onnx fuzz-arguments \
        fuzz-cli kill-trials slurm-check soak bench-safetensors bench-onnx docs clean

all: build

# Installs the system packages the build and the main job need, only when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The Python peers of the interop tests (Tests/Peers/requirements.txt) in .build/venv.
# Reinstalls only when the requirements change; a no-op otherwise.
peer-venv: $(VENV)/.installed

$(VENV)/.installed: Tests/Peers/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/Peers/requirements.txt
	touch $@

build: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product rectifier

# The main job.
run: build
	$(BIN) run

# Opens report/index.html in headless Chromium (Debian's package, installed when missing),
# fails on any console message, checks the page holds the report, saves docs/report.png.
report-check:
	@dpkg-query -W -f='$${Status}' chromium 2>/dev/null | grep -q "install ok installed" || { \
	  echo "installing: chromium"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }
	scripts/report-check.sh report/index.html docs/report.png

# The whole test suite, on the release build (the same code generation as `make build`).
# The interop tests run the Python peers from the venv and fail if it is missing. The tests
# use no @testable import, so the test build reuses the library objects of `swift build`
# (with testable imports it would compile every module a second time).
test: deps peer-venv
	$(SWIFT) build $(RELEASE_FLAGS)
	$(SWIFT) test $(RELEASE_FLAGS) --disable-testable-imports

# Every Float input through each transcendental Float kernel against its definition's formula
# in Double: the largest error in ulp per kernel (all 2^32 bit patterns; minutes on two cores).
exhaustive: build
	$(BIN) bench accuracy --exhaustive

# The whole suite under AddressSanitizer and ThreadSanitizer (not part of `make test`; slow).
# Each has its own scratch path so the release build in .build is left alone. Leaks inside
# the toolchain's XCTest and Foundation are suppressed (scripts/lsan-suppressions.txt).
sanitize: sanitize-address sanitize-thread

sanitize-address: deps peer-venv
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan-suppressions.txt \
	  $(SWIFT) test -c release --sanitize=address --scratch-path .build-asan

sanitize-thread: deps peer-venv
	$(SWIFT) test -c release --sanitize=thread --scratch-path .build-tsan

# Crash safety of checkpoints: KILL_TRIALS runs of `rectifier train --save-every 1` killed
# with SIGKILL at random moments; each must leave a loadable checkpoint that resumes
# bit-identically (scripts/kill-trials.sh; not part of `make test`).
KILL_TRIALS ?= 50
kill-trials: build peer-venv
	scripts/kill-trials.sh $(KILL_TRIALS) $(BIN)

# `rectifier run` on a real Slurm (not part of `make test`; needs root or sudo for the
# daemons): installs slurm-wlm and munge when missing, starts a single-node cluster on this
# machine, runs the job array of 4 shards and the merge, compares with a local run and stops
# the daemons (scripts/slurm-check.sh; docs/SCALING.md).
slurm-check: build
	scripts/slurm-check.sh $(BIN)

# The soak (not in CI): read/train/save/load/evaluate cycles in one process for
# SOAK_MINUTES, passing when resident memory grows ≤ 1% after warm-up (Soak/Soak.swift).
SOAK_MINUTES ?= 30
soak:
	$(SWIFT) build $(RELEASE_FLAGS) --target Interchange
	$(SWIFT) build $(RELEASE_FLAGS) --target Datasets
	mkdir -p .build/soak
	python3 scripts/small-dataset.py .build/soak/data 3000 500
	swiftc -O -target-cpu native -parse-as-library Soak/Soak.swift \
	  $(call link_modules,.build/release,.build,$(DATASETS_CLOSURE) $(INTERCHANGE_CLOSURE)) -o .build/soak/soak
	.build/soak/soak $(SOAK_MINUTES) .build/soak/data .build/soak

# libFuzzer on the safetensors reader (not part of `make test`); see docs/RELIABILITY.md.
FUZZ_RUNS    ?= 1000000
FUZZ_SECONDS ?= 60
FUZZ_LIMIT   ?= -runs=$(FUZZ_RUNS)

# Every libFuzzer harness for FUZZ_SECONDS each (the corpora in .build/fuzz carry over).
fuzz:
	$(MAKE) fuzz-idx fuzz-safetensors fuzz-onnx fuzz-arguments FUZZ_LIMIT=-max_total_time=$(FUZZ_SECONDS)

fuzz-safetensors:
	mkdir -p .build/fuzz/safetensors-corpus
	swiftc -O -wmo -sanitize=fuzzer,address -parse-as-library Fuzz/SafeTensorsReaderFuzzer.swift \
	  Sources/Interchange/SafeTensors/*.swift Sources/Interchange/Files/*.swift \
	  -o .build/fuzz/safetensors-reader
	.build/fuzz/safetensors-reader $(FUZZ_LIMIT) -max_len=4096 -timeout=5 \
	  -rss_limit_mb=1024 -dict=Fuzz/safetensors.dict \
	  .build/fuzz/safetensors-corpus Fuzz/Seeds/safetensors

# libFuzzer on the IDX reader, plain and gzip (not part of `make test`): Datasets and its
# dependencies built with coverage and AddressSanitizer in .build-fuzz (as for fuzz-onnx),
# linked with the harness; see docs/RELIABILITY.md.
fuzz-idx:
	$(SWIFT) build -c release --sanitize=address -Xswiftc -sanitize=fuzzer,address --target Datasets \
	  --scratch-path .build-fuzz
	mkdir -p .build/fuzz/idx-corpus
	swiftc -O -sanitize=fuzzer,address -parse-as-library Fuzz/IDXReaderFuzzer.swift \
	  $(call link_modules,.build-fuzz/release,.build-fuzz,$(DATASETS_CLOSURE)) -o .build/fuzz/idx-reader
	.build/fuzz/idx-reader $(FUZZ_LIMIT) -max_len=4096 -timeout=5 \
	  -rss_limit_mb=1024 -dict=Fuzz/idx.dict \
	  .build/fuzz/idx-corpus Fuzz/Seeds/idx

# Programs outside the package (the ONNX fuzzer, the soak) are linked against the
# objects SwiftPM built for Interchange and its dependencies in $(1) (a build folder such as
# .build/release; $(2) is its scratch path, holding the checkouts): the Swift modules, the
# module maps of the C targets, and OpenBLAS. A Swift module's objects are those of the
# sources it lists now (objects of deleted files stay in the build folder).
DATASETS_CLOSURE    = Runtime Datasets CDataKernels Activations CActivationKernels RealModule _NumericsShims
INTERCHANGE_CLOSURE = Runtime Interchange SwiftProtobuf Activations CActivationKernels RealModule \
                      _NumericsShims Networks Quantization CQuantKernels
CLI_CLOSURE         = RectifierCLI ArgumentParser ArgumentParserToolInfo Experiments Datasets CDataKernels Plotting \
                      $(INTERCHANGE_CLOSURE)
link_modules = -I $(1)/Modules $$(for f in $(1)/*.build/module.modulemap; do echo -Xcc -fmodule-map-file=$$f; done) \
  -Xcc -I$(2)/checkouts/swift-numerics/Sources/_NumericsShims/include -Xcc -ISources/CBLAS -I Sources/CZlib -I Sources/CPNG \
  $$(for m in $$(echo $(3) | tr ' ' '\n' | sort -u); do \
      if [ -f $(1)/$$m.build/sources ]; then for f in $$(sed -e "s/'//g" -e 's|.*/||' $(1)/$$m.build/sources); do echo $(1)/$$m.build/$$f.o; done; \
      else ls $(1)/$$m.build/*.o 2>/dev/null; fi; done) -lopenblas -lz -lpng16
link_interchange = $(call link_modules,$(1),$(2),$(INTERCHANGE_CLOSURE))

# libFuzzer on the ONNX reader (not part of `make test`); see docs/RELIABILITY.md. The reader
# needs SwiftProtobuf and the Activations module, so SwiftPM builds Interchange and its
# dependencies with coverage and AddressSanitizer in .build-fuzz, and the harness is linked
# against their objects. (`--sanitize=fuzzer` alone instruments no library code: the
# coverage comes from passing `-sanitize=fuzzer` to every compile with -Xswiftc.)
fuzz-onnx:
	$(SWIFT) build -c release --sanitize=address -Xswiftc -sanitize=fuzzer,address --target Interchange \
	  --scratch-path .build-fuzz
	mkdir -p .build/fuzz/onnx-corpus
	swiftc -O -sanitize=fuzzer,address -parse-as-library Fuzz/ONNXReaderFuzzer.swift \
	  $(call link_interchange,.build-fuzz/release,.build-fuzz) -o .build/fuzz/onnx-reader
	.build/fuzz/onnx-reader $(FUZZ_LIMIT) -max_len=4096 -timeout=5 \
	  -rss_limit_mb=1024 -dict=Fuzz/onnx.dict \
	  .build/fuzz/onnx-corpus Fuzz/Seeds/onnx

# libFuzzer on the command line's argument parsing (parse and validate only, no command
# runs): RectifierCLI and its dependencies built with coverage and AddressSanitizer in
# .build-fuzz, as for fuzz-onnx; see docs/RELIABILITY.md.
fuzz-arguments:
	$(SWIFT) build -c release --sanitize=address -Xswiftc -sanitize=fuzzer,address --target RectifierCLI \
	  --scratch-path .build-fuzz
	mkdir -p .build/fuzz/arguments-corpus
	swiftc -O -sanitize=fuzzer,address -parse-as-library Fuzz/ArgumentsFuzzer.swift \
	  $(call link_modules,.build-fuzz/release,.build-fuzz,$(CLI_CLOSURE)) -o .build/fuzz/arguments
	.build/fuzz/arguments $(FUZZ_LIMIT) -max_len=1024 -timeout=5 \
	  -rss_limit_mb=1024 -dict=Fuzz/arguments.dict \
	  .build/fuzz/arguments-corpus Fuzz/Seeds/arguments

# The command-line fuzzer (not part of `make test`): FUZZ_COMMANDS whole commands generated
# from the tool's grammar, each run in a forked child in a fresh sandbox with a time limit of
# FUZZ_TIME_LIMIT s; see docs/RELIABILITY.md. The shared checks are compiled in from the
# tests' support folder. Findings go to .build/fuzz/cli/findings.txt; exit 1 if any. The
# regression corpus the tests replay gains one command of each subcommand × value class it
# lacked and every finding.
FUZZ_COMMANDS   ?= 20000
FUZZ_SEED       ?= 1
FUZZ_TIME_LIMIT ?= 20
fuzz-cli: build
	mkdir -p .build/fuzz/cli
	swiftc -O -target-cpu native -parse-as-library Fuzz/CLI/CLIFuzzer.swift \
	  Tests/RectifierCLITests/Support/CommandSandbox.swift Tests/RectifierCLITests/Support/SyntheticMNIST.swift \
	  $(call link_modules,.build/release,.build,$(CLI_CLOSURE)) -o .build/fuzz/cli-fuzzer
	.build/fuzz/cli-fuzzer --commands $(FUZZ_COMMANDS) --seed $(FUZZ_SEED) --time-limit $(FUZZ_TIME_LIMIT) \
	  --work .build/fuzz/cli --jobs 2 --corpus Tests/RectifierCLITests/Corpus/cli-fuzz-corpus.txt

# Reading and writing speed of safetensors files, and ONNX export and import speed for the
# 784-256-128-10 model (minimum and median of repeated runs; `rectifier bench --help`).
bench-safetensors: build
	$(BIN) bench safetensors

bench-onnx: build
	$(BIN) bench onnx

docs:
	$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation \
	  --target Activations --output-path .build/docs/Activations --transform-for-static-hosting

clean:
	rm -rf .build
