# Makefile - builds the perfkit libraries (one per layer) and the three
# tools, and runs the install step, the tests, the demo and the benchmark.
#   make demo    install what is missing, build, ingest samples/, analyse, report
#   make test    install what is missing, build, run every test (plain and
#                under AddressSanitizer + UndefinedBehaviorSanitizer)
#   make bench   speed and memory figures (not part of make test)
#   make fuzz    the fuzz harnesses, FUZZ_SECONDS each (mk/fuzz.mk)
#   make install PREFIX=/usr/local DESTDIR=   tools, man pages, bash completion
#   make uninstall                            removes exactly what install wrote
#   make check-fresh   make demo + make test in a bare Debian 12 (debootstrap)
#   make check-browser  every kind of HTML report rendered in headless
#                Chromium (optional; skipped when Chromium is absent;
#                make browser-deps installs Debian's chromium)
# demo, test and bench run the install step first and then build in a
# sub-make, which reads pkg-config only after the -dev packages are there.

CC       ?= cc
BUILD    ?= build
PKGS     := sqlite3 gsl libcmark yajl libarchive zlib
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla
OPT      := -O2
ifeq ($(SAN),1)
OPT      := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=all
LDSAN    := -fsanitize=address,undefined
endif
ifeq ($(FUZZ),1)
OPT      := -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
            -fno-sanitize-recover=all
LDSAN    := -fsanitize=address,undefined
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS   := -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) $(PKG_CFLAGS) -I. -I$(BUILD)/gen
LDLIBS   := $(PKG_LIBS) -lcsv -lm -lpthread
LDFLAGS  := $(LDSAN)

# Debian packages: build, test, demo.  bench adds BENCH_PKGS.
DEB_PKGS   := gcc make pkg-config libsqlite3-dev libgsl-dev libcmark-dev \
              libyajl-dev libcsv-dev libarchive-dev zlib1g-dev libcmocka-dev \
              gnuplot-nox sqlite3 python3 groff-base
BENCH_PKGS := sqlite-utils time valgrind nodejs
# make check-fresh (optional): a bare Debian root file system to build in.
FRESH_PKGS := debootstrap tar git
# make check-browser (optional): headless Chromium.
BROWSER_PKGS := chromium
# make fixtures-real records real sysstat and hyperfine output as fixtures.
FIXTURE_PKGS := sysstat hyperfine

MAINS    := ingest/perfingest.c analyze/perfanalyze.c report/perfreport.c
EMBEDDED := core/schema.sql templates/report.html templates/report.css
GEN_SRC  := $(BUILD)/gen/embedded.c
# One static library per layer (its folder and the folders in it, e.g.
# ingest/readers/); a layer uses only the layers after it in LIB (the link
# order), which mk/check-layers.sh checks.
layer_obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out $(MAINS),$(wildcard $(1)/*.c $(1)/*/*.c)))
CORE_OBJ    := $(call layer_obj,core) $(BUILD)/obj/gen/embedded.o
INGEST_OBJ  := $(call layer_obj,ingest)
ANALYZE_OBJ := $(call layer_obj,analyze)
REPORT_OBJ  := $(call layer_obj,report)
LIB_OBJ  := $(CORE_OBJ) $(INGEST_OBJ) $(ANALYZE_OBJ) $(REPORT_OBJ)
LIB_CORE    := $(BUILD)/libperfkit-core.a
LIB_INGEST  := $(BUILD)/libperfkit-ingest.a
LIB_ANALYZE := $(BUILD)/libperfkit-analyze.a
LIB_REPORT  := $(BUILD)/libperfkit-report.a
LIB      := $(LIB_REPORT) $(LIB_ANALYZE) $(LIB_INGEST) $(LIB_CORE)
TOOLS    := $(BUILD)/bin/perfingest $(BUILD)/bin/perfanalyze $(BUILD)/bin/perfreport
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.SECONDARY:
.PHONY: all deps bench-deps fresh-deps browser-deps build check check-layers \
        check-browser test demo bench clean samples install uninstall \
        check-fresh cp-eval fixtures-real
all: build
build: $(TOOLS)

# Before the install step a bare machine has no pkg-config: stop with what to
# run instead of a link error about missing -lyajl.
ifeq ($(PKG_LIBS),)
ifneq ($(filter build all check install $(BUILD)/%,$(or $(MAKECMDGOALS),all)),)
$(error pkg-config finds none of $(PKGS): run 'make deps' first (or make demo / make test, which do))
endif
endif

deps:
	@sh mk/install-deps.sh $(DEB_PKGS)

# npm (for DuckDB in bench/peers.sh): Debian's package, unless a nodejs
# that bundles npm is installed already
bench-deps:
	@sh mk/install-deps.sh $(DEB_PKGS) $(BENCH_PKGS)
	@command -v npm >/dev/null 2>&1 || sh mk/install-deps.sh npm

fresh-deps:
	@sh mk/install-deps.sh $(FRESH_PKGS)

browser-deps:
	@sh mk/install-deps.sh $(DEB_PKGS) $(BROWSER_PKGS)

# Records tests/fixtures/sysstat-real and hyperfine-real on this machine
# (commit the result; tests never record).
fixtures-real:
	@sh mk/install-deps.sh $(FIXTURE_PKGS)
	sh mk/record-fixtures-real.sh tests/fixtures

$(GEN_SRC): $(EMBEDDED) mk/embed.sh
	@mkdir -p $(dir $@)
	sh mk/embed.sh $(EMBEDDED) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/embedded.o: $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB_CORE): $(CORE_OBJ)
$(LIB_INGEST): $(INGEST_OBJ)
$(LIB_ANALYZE): $(ANALYZE_OBJ)
$(LIB_REPORT): $(REPORT_OBJ)
$(LIB): $(BUILD)/libperfkit-%.a:
	@rm -f $@
	ar rcs $@ $^

# Each tool links only the layers it stands on.
$(BUILD)/bin/perfingest: $(BUILD)/obj/ingest/perfingest.o $(LIB_INGEST) $(LIB_CORE)
$(BUILD)/bin/perfanalyze: $(BUILD)/obj/analyze/perfanalyze.o $(LIB_ANALYZE) $(LIB_CORE)
$(BUILD)/bin/perfreport: $(BUILD)/obj/report/perfreport.o $(LIB_REPORT) $(LIB_ANALYZE) $(LIB_CORE)
$(TOOLS):
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# Every unit test links the shared helpers, compiled once per build dir.
UNIT_UTIL := $(BUILD)/obj/tests/unit/testutil.o
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(UNIT_UTIL) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lcmocka
-include $(UNIT_UTIL:.o=.d)

include mk/fuzz.mk

# One build directory's tests: the layering, unit tests, the end-to-end
# cases, and the fuzz corpus replayed through each harness.
check: $(TOOLS) $(UNIT_BIN) $(FUZZ_REPLAY)
	@fail=0; sh mk/check-layers.sh . $(BUILD)/obj || fail=1; \
	for t in $(UNIT_BIN); do \
	  echo "== $$t"; (cd tests/unit && ../../$$t) || fail=1; done; \
	BIN=$(CURDIR)/$(BUILD)/bin sh tests/cli/run.sh || fail=1; \
	$(MAKE) --no-print-directory fuzz-replay BUILD=$(BUILD) SAN=$(SAN) || fail=1; \
	exit $$fail

check-layers: $(TOOLS)
	sh mk/check-layers.sh . $(BUILD)/obj

test: deps
	$(MAKE) check BUILD=build
	$(MAKE) check BUILD=build/san SAN=1
	$(MAKE) fuzz-short

samples:
	python3 samples/generate_samples.py samples
	python3 samples/generate_week.py samples

# samples/ holds deliberately bad lines: perfingest names each one and exits 1
# (loaded, some input rejected); the demo says so and goes on.  Anything
# worse than 1 stops it.  mk/demo.sh has the steps.
demo: deps
	@$(MAKE) --no-print-directory build
	@sh mk/demo.sh $(BUILD)/bin

# Screenshots and pages land in $(BUILD)/check-browser/.
check-browser: deps
	@$(MAKE) --no-print-directory build
	sh mk/check-browser.sh $(BUILD)/bin $(BUILD)/check-browser

bench: bench-deps
	@$(MAKE) --no-print-directory build
	sh bench/run.sh $(BUILD)/bin
# The change-point detector on generated series: the README's table.
$(BUILD)/bench/cp_eval: bench/cp_eval.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(LIB) -o $@ $(LDLIBS)
cp-eval: $(BUILD)/bench/cp_eval
	$(BUILD)/bench/cp_eval

include mk/install.mk

check-fresh: fresh-deps
	sh mk/check-fresh.sh

clean:
	rm -rf build out

-include $(LIB_OBJ:.o=.d) $(MAINS:%.c=$(BUILD)/obj/%.d) \
         $(UNIT_SRC:tests/unit/%.c=$(BUILD)/obj/tests/unit/%.d)
