# Makefile - builds the perfkit library and its three tools, and runs the
# install step, the tests, the demo and the benchmark.
#   make demo    install what is missing, build, ingest samples/, analyse, report
#   make test    install what is missing, build, run every test (plain and
#                under AddressSanitizer + UndefinedBehaviorSanitizer)
#   make bench   speed and memory figures (not part of make test)
#   make fuzz    the fuzz harnesses, FUZZ_SECONDS each (mk/fuzz.mk)

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
              gnuplot-nox sqlite3 python3
BENCH_PKGS := sqlite-utils time

MAINS    := ingest/perfingest.c analyze/perfanalyze.c report/perfreport.c
LIB_SRC  := $(filter-out $(MAINS),$(wildcard core/*.c ingest/*.c analyze/*.c report/*.c))
EMBEDDED := core/schema.sql templates/report.html templates/report.css
GEN_SRC  := $(BUILD)/gen/embedded.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/embedded.o
LIB      := $(BUILD)/libperfkit.a
TOOLS    := $(BUILD)/bin/perfingest $(BUILD)/bin/perfanalyze $(BUILD)/bin/perfreport
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.SECONDARY:
.PHONY: all deps bench-deps build check test demo bench clean samples
all: build
build: $(TOOLS)

deps:
	@sh mk/install-deps.sh $(DEB_PKGS)

bench-deps:
	@sh mk/install-deps.sh $(DEB_PKGS) $(BENCH_PKGS)

$(GEN_SRC): $(EMBEDDED) mk/embed.sh
	@mkdir -p $(dir $@)
	sh mk/embed.sh $(EMBEDDED) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/embedded.o: $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/obj/ingest/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)
$(BUILD)/bin/%: $(BUILD)/obj/analyze/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)
$(BUILD)/bin/%: $(BUILD)/obj/report/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# Every unit test links the shared helpers, compiled once per build dir.
UNIT_UTIL := $(BUILD)/obj/tests/unit/testutil.o
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(UNIT_UTIL) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lcmocka
-include $(UNIT_UTIL:.o=.d)

include mk/fuzz.mk

# One build directory's tests: unit tests, the end-to-end cases, and the
# fuzz corpus replayed through each harness.
check: $(TOOLS) $(UNIT_BIN) $(FUZZ_REPLAY)
	@fail=0; for t in $(UNIT_BIN); do \
	  echo "== $$t"; (cd tests/unit && ../../$$t) || fail=1; done; \
	BIN=$(CURDIR)/$(BUILD)/bin sh tests/cli/run.sh || fail=1; \
	$(MAKE) --no-print-directory fuzz-replay BUILD=$(BUILD) SAN=$(SAN) || fail=1; \
	exit $$fail

test: deps
	$(MAKE) check BUILD=build
	$(MAKE) check BUILD=build/san SAN=1
	$(MAKE) fuzz-short

samples:
	python3 samples/generate_samples.py samples

demo: deps build
	@mkdir -p out
	rm -f out/demo.db out/demo.db-wal out/demo.db-shm
	-$(BUILD)/bin/perfingest --db out/demo.db samples/
	$(BUILD)/bin/perfanalyze --db out/demo.db --list
	$(BUILD)/bin/perfanalyze --db out/demo.db --compare laptop_mx150 desktop_rtx3070 --hours 168
	$(BUILD)/bin/perfreport --db out/demo.db --compare laptop_mx150 desktop_rtx3070 --hours 168 --output out/report.html
	$(BUILD)/bin/perfreport --db out/demo.db --compare laptop_mx150 desktop_rtx3070 --hours 168 --output out/report.md
	@echo "demo: wrote out/report.html and out/report.md (database out/demo.db)"

bench: bench-deps build
	sh bench/run.sh $(BUILD)/bin

clean:
	rm -rf build out

-include $(LIB_OBJ:.o=.d) $(MAINS:%.c=$(BUILD)/obj/%.d) \
         $(UNIT_SRC:tests/unit/%.c=$(BUILD)/obj/tests/unit/%.d)
