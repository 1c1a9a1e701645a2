# The two commands of the README:
#   make lab    builds and starts the built-in lab, runs site.yml (apply + verify +
#               report) against it
#   make test   the whole test suite (what CI runs)
# Both install what they need first (scripts/setup.sh: apt packages, .venv).
SHELL := /bin/bash
VENV := .venv/bin
export PATH := $(CURDIR)/$(VENV):$(PATH)
export CONTAINERS_CONF := $(CURDIR)/lab/containers.conf
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.cache/collections
export ANSIBLE_FORCE_COLOR := 0
export PY_COLORS := 0

.PHONY: setup image lab lab-down lint sanity unit integration molecule matrix test render check-render pytest

setup:
	@bash scripts/setup.sh

image: setup
	@bash scripts/lab-image.sh

lab: image
	bash scripts/lab.sh up
	ansible-playbook site.yml

lab-down:
	bash scripts/lab.sh down

render:
	python3 scripts/render_roles.py

lint: setup
	ansible-lint
	yamllint -s .

sanity: setup
	bash scripts/sanity.sh

unit: setup
	pytest -q tests/unit

integration: image
	pytest -q tests/integration

# The windows scenario needs a real Windows host: it runs only when its variables are
# set, and otherwise says SKIPPED (it is never counted as passed; run on its own
# without a host, it fails at create).
molecule: image
	molecule test -s default
	@if [ -n "$$WEBROOT_WIN_HOST" ] && [ -n "$$WEBROOT_WIN_USER" ] && [ -n "$$WEBROOT_WIN_PASSWORD" ]; then \
		echo "molecule windows scenario: running against $$WEBROOT_WIN_HOST"; \
		molecule test -s windows; \
	else \
		echo "molecule windows scenario: SKIPPED (no Windows host: set WEBROOT_WIN_HOST, WEBROOT_WIN_USER and WEBROOT_WIN_PASSWORD; see docs/windows.md)"; \
	fi

# Supported = tested: sanity, unit tests and the lab's site.yml (apply, rerun with no
# change, verify) on the oldest and the newest ansible-core that meta/runtime.yml
# admits (2.16 on Python 3.11, 2.20 on Python 3.12); the rest of the suite runs on
# the main venv's 2.19.
matrix: image
	bash scripts/matrix.sh

test: setup image lint sanity molecule matrix pytest
	@echo "make test: all passed"

# Two pytest runs: the unit tests import the collection through pytest's path, and
# in one session with the integration tests Ansible's collection finder (installed
# by then) would serve some of those imports without the collection's metadata.
# The integration run's summary closes the output.
pytest: image
	pytest -q tests/unit
	pytest -q tests/integration
