# fuzz.mk - the fuzz harnesses of tests/fuzz/ (included by the Makefile).
#   make fuzz FUZZ_SECONDS=N   builds every harness with clang's libFuzzer
#                              (+ AddressSanitizer, UBSan) in build/fuzz and
#                              runs each for N seconds (default 60)
# Every build directory also links each harness with a replay driver
# (build/tests/replay_<harness>); make check replays the committed corpus
# tests/fuzz/corpus/<harness>/ through it, with gcc, plain and sanitized.

FUZZ_NAMES    := line_json csv json_doc nvidia_smi generic archive
FUZZ_SECONDS  ?= 60
FUZZ_PKGS     := clang libclang-rt-14-dev
FUZZ_COMMON   := $(BUILD)/obj/tests/fuzz/fuzz_ingest.o
FUZZ_REPLAY   := $(FUZZ_NAMES:%=$(BUILD)/tests/replay_%)
FUZZ_BIN      := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)

.PHONY: fuzz fuzz-deps fuzz-build fuzz-replay fuzz-short

$(BUILD)/tests/replay_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_COMMON) \
                         $(BUILD)/obj/tests/fuzz/replay_main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# Only with FUZZ=1 (CC=clang): the libFuzzer binaries.
$(BUILD)/fuzz/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_COMMON) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer $^ -o $@ $(LDLIBS)

-include $(FUZZ_NAMES:%=$(BUILD)/obj/tests/fuzz/fuzz_%.d) $(FUZZ_COMMON:.o=.d) \
         $(BUILD)/obj/tests/fuzz/replay_main.d

# The committed corpus through every harness (part of make check).
fuzz-replay: $(FUZZ_REPLAY)
	@fail=0; for h in $(FUZZ_NAMES); do \
	  $(BUILD)/tests/replay_$$h tests/fuzz/corpus/$$h || fail=1; done; exit $$fail

fuzz-deps:
	@sh mk/install-deps.sh $(DEB_PKGS) $(FUZZ_PKGS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-deps
	$(MAKE) fuzz-build BUILD=build/fuzz CC=clang FUZZ=1
	sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

# make test's short run: a few seconds per harness when clang's libFuzzer is
# installed (make fuzz-deps or make fuzz installs it), else a note.
FUZZ_SHORT_SECONDS ?= 5
fuzz-short:
	@if printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return d && n; }\n' | \
	    clang -x c -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then \
	  $(MAKE) --no-print-directory fuzz-build BUILD=build/fuzz CC=clang FUZZ=1 && \
	  sh tests/fuzz/run.sh build/fuzz $(FUZZ_SHORT_SECONDS) $(FUZZ_NAMES); \
	else echo "fuzz-short: clang with libFuzzer not installed: short fuzz run skipped"; fi
