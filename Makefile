# Rectifier: the two commands are `make run` and `make test`; everything else is set-up.
#
# Release builds use code generation for this CPU (AVX2/FMA here, AVX-512 where the CPU has
# it). The flags live here, not in Package.swift, so the package stays usable as a dependency.

SWIFT        ?= swift
RELEASE_FLAGS = -c release -Xswiftc -target-cpu -Xswiftc native -Xcc -march=native \
                -Xswiftc -enforce-exclusivity=unchecked
BIN           = .build/release/rectifier
VENV          = .build/venv
APT_PACKAGES  = pkg-config libopenblas-dev zlib1g-dev dataset-fashion-mnist
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test docs clean

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

build: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product rectifier

# The main job.
run: build
	$(BIN) run

# The whole test suite, on the release build (the same code generation as `make build`).
test: deps
	$(SWIFT) build $(RELEASE_FLAGS)
	$(SWIFT) test $(RELEASE_FLAGS)

docs:
	$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation \
	  --target Activations --output-path .build/docs/Activations --transform-for-static-hosting

clean:
	rm -rf .build
