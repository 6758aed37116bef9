# Forewarn: `make demo` and `make test` install what is missing, build, and run.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := pkg-config libopenblas-dev liblapacke-dev librdkafka-dev libhdf5-dev python3-h5py python3-cassandra python3-numpy
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DIR ?= .demo

.PHONY: deps build release test demo bench clean

# Installs only the Debian packages that are missing; a no-op on a ready machine.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: build
	$(SWIFT) test --parallel --num-workers 2

demo: release
	.build/release/forewarn version
	.build/release/forewarn spec check Jobs/streams/meters.yaml
	.build/release/forewarn demo --dir $(DEMO_DIR)

bench: release
	.build/release/forewarn bench archive
	.build/release/forewarn bench cassandra

clean:
	rm -rf .build $(DEMO_DIR)
