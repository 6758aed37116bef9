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
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	.build/release/forewarn version
	.build/release/forewarn spec check Jobs/streams/meters.yaml
	.build/release/forewarn simulate --archive $(DEMO_DIR)/archive --stream meters --series 50 --days 14 --cadence 5m --seed 7 --anomaly-rate 0.002
	.build/release/forewarn archive ls --archive $(DEMO_DIR)/archive --stream meters | tail -n 3
	.build/release/forewarn archive stats --archive $(DEMO_DIR)/archive --stream meters
	.build/release/forewarn archive export --archive $(DEMO_DIR)/archive --stream meters --from 2026-01-14T00:00:00Z --format jsonl | head -n 3

bench: release
	.build/release/forewarn bench archive
	.build/release/forewarn bench cassandra

clean:
	rm -rf .build $(DEMO_DIR)
