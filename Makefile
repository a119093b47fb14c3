# mmsim - an educational simulator of the Windows NT memory manager on i386.
#
#   make            build build/libmmsim.a
#   make run        install what is missing, build, play the guided tour
#   make test       install what is missing, build, run every test
#   make bench      speed and memory figures for this machine
#   make asan       the unit tests built with AddressSanitizer + UBSan
#   make clean
#
# Missing libraries are found with pkg-config. As root (or with password-
# less sudo) on Debian/Ubuntu the Makefile installs them with apt-get;
# elsewhere it stops and prints the install command for your system.

.DEFAULT_GOAL := all
CC      ?= cc
BUILD   := build
# -std=c11 plus the strict set; -Wconversion catches silent truncation of
# 32-bit addresses and frame numbers, the bug this project is most prone to.
WARN    := -Wall -Wextra -Werror -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN)

SIM_SRC := $(wildcard sim/*.c)
SIM_OBJ := $(SIM_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libmmsim.a
# the scenario layer (parse, validate, replay, narrate) and the mmsim program
SCN_SRC := $(wildcard sim/scenario/*.c)
SCN_OBJ := $(SCN_SRC:%.c=$(BUILD)/%.o)
SCN_LIB := $(BUILD)/libmmscenario.a
CLI_SRC := $(wildcard sim/cli/*.c)
MMSIM   := $(BUILD)/mmsim
CJSON_CFLAGS = $$(pkg-config --cflags libcjson)
CJSON_LIBS   = $$(pkg-config --libs libcjson)

# The Windows backend (nt/) and the visualizer (viz/) keep their rules in
# fragments of their own: NT_SRC joins the mmsim program; each fragment
# defines its test target (nt-test, viz-test), run by make test.
NT_SRC :=
include nt/nt.mk
include viz/viz.mk

TEST_SRC := $(wildcard tests/test_*.c)
TEST_SUPPORT := tests/support.c tests/model.c
TEST_BIN := $(BUILD)/tests/unit

.PHONY: all run test bench asan valgrind fuzz fuzz-test soak clean deps-build deps-test deps-fuzz golden
all: $(LIB) $(MMSIM)

# ---- dependencies ------------------------------------------------------
# $(call need,pkg-config modules,Debian packages,Fedora,Arch,Homebrew,MSYS2)
define need
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"; \
	for mod in $(1); do pkg-config --exists $$mod 2>/dev/null || missing="$$missing $$mod"; done; \
	if [ -n "$$missing" ]; then \
	  echo "mmsim: missing:$$missing"; \
	  if command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
	    echo "mmsim: installing with apt-get: pkg-config $(2)"; \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pkg-config $(2) >/dev/null || exit 1; \
	  else \
	    echo "Install them, then run make again:"; \
	    echo "  Debian/Ubuntu:   sudo apt-get install pkg-config $(2)"; \
	    echo "  Fedora:          sudo dnf install pkgconf $(3)"; \
	    echo "  Arch:            sudo pacman -S pkgconf $(4)"; \
	    echo "  macOS (Homebrew): brew install pkg-config $(5)"; \
	    echo "  MSYS2:           pacman -S mingw-w64-x86_64-pkgconf $(6)"; \
	    exit 1; \
	  fi; \
	fi
endef

deps-build:
	$(call need,libcjson,libcjson-dev,cjson-devel,cjson,cjson,mingw-w64-x86_64-cjson)

deps-test: deps-build
	$(call need,criterion,libcriterion-dev valgrind,criterion-devel valgrind,criterion valgrind,criterion,mingw-w64-x86_64-criterion)
	@/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "mmsim: installing with apt-get: python3-jsonschema"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jsonschema >/dev/null || \
	    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jsonschema >/dev/null; } || exit 1; \
	  elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo -n apt-get install -y -qq python3-jsonschema >/dev/null || exit 1; \
	  else \
	    echo "mmsim: the schema test needs Python's jsonschema module:"; \
	    echo "  Debian/Ubuntu: sudo apt-get install python3-jsonschema"; \
	    echo "  Fedora: sudo dnf install python3-jsonschema   Arch: sudo pacman -S python-jsonschema"; \
	    echo "  macOS/MSYS2: python3 -m pip install jsonschema"; \
	    exit 1; \
	  fi; }

# ---- the engine -----------------------------------------------------------
$(BUILD)/sim/%.o: sim/%.c $(wildcard sim/*.h) | $(BUILD)/sim
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(SIM_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/sim/scenario/%.o: sim/scenario/%.c $(wildcard sim/*.h sim/scenario/*.h) | deps-build
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isim $(CJSON_CFLAGS) -c $< -o $@

$(SCN_LIB): $(SCN_OBJ)
	$(AR) rcs $@ $^

$(MMSIM): $(CLI_SRC) $(NT_SRC) $(wildcard sim/cli/*.h sim/scenario/*.h nt/*.h) $(SCN_LIB) $(LIB) | deps-build
	$(CC) $(CFLAGS) -Isim -Isim/scenario -Int $(CLI_SRC) $(NT_SRC) $(SCN_LIB) $(LIB) $(CJSON_LIBS) -o $@

$(BUILD)/sim $(BUILD)/tests:
	mkdir -p $@

# ---- tests ----------------------------------------------------------------
$(TEST_BIN): $(TEST_SRC) $(TEST_SUPPORT) tests/support.h tests/model.h $(LIB) $(SCN_LIB) | $(BUILD)/tests deps-test
	$(CC) $(CFLAGS) -Isim -Isim/scenario -Isim/cli $(TEST_SRC) $(TEST_SUPPORT) sim/cli/step.c $(SCN_LIB) $(LIB) \
	    $(CJSON_LIBS) $$(pkg-config --cflags --libs criterion) -o $@

# The tables of scenario ops and expectations as JSON, for check_format.py.
SCN_TABLES := $(BUILD)/tests/scenario-tables
$(SCN_TABLES): tests/scenario_tables.c $(SCN_LIB) $(LIB) | $(BUILD)/tests deps-build
	$(CC) $(CFLAGS) -Isim -Isim/scenario $< $(SCN_LIB) $(LIB) $(CJSON_LIBS) -o $@

# Every test: unit tests, scenarios against their golden transcripts, the
# bad-input corpus, the command line, the schema, the format's tables
# against the schema and the docs, the docs' symbols, and the unit tests
# again under the sanitizers.
test: deps-test $(TEST_BIN) $(MMSIM) $(SCN_TABLES) $(BUILD)/bench
	$(TEST_BIN) --jobs 2
	sh tests/cli_tests.sh $(MMSIM)
	/usr/bin/python3 tests/check_schema.py
	/usr/bin/python3 tests/check_format.py $(SCN_TABLES)
	sh tests/check_docs.sh
	$(MAKE) --no-print-directory valgrind
	$(MAKE) --no-print-directory asan
	$(MAKE) --no-print-directory fuzz-test
	$(MAKE) --no-print-directory nt-test
	$(MAKE) --no-print-directory viz-test

# Regenerate the golden transcripts and command-line outputs after a
# deliberate change of output; review the diff before committing.
golden: $(MMSIM)
	sh tests/cli_tests.sh $(MMSIM) --update

# The same tests, built with AddressSanitizer and UndefinedBehaviorSanitizer.
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan: deps-test
	@mkdir -p $(BUILD)/asan
	$(CC) $(ASAN_FLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -Isim -Isim/scenario -Isim/cli \
	    $(SIM_SRC) $(SCN_SRC) sim/cli/step.c $(TEST_SRC) $(TEST_SUPPORT) $(CJSON_LIBS) \
	    $$(pkg-config --cflags --libs criterion) -o $(BUILD)/asan/unit
	ASAN_OPTIONS=detect_leaks=1 $(BUILD)/asan/unit --jobs 2
	$(CC) $(ASAN_FLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -Isim -Isim/scenario -Int \
	    $(SIM_SRC) $(SCN_SRC) $(CLI_SRC) $(NT_SRC) $(CJSON_LIBS) -o $(BUILD)/asan/mmsim
	ASAN_OPTIONS=detect_leaks=1 sh tests/cli_tests.sh $(BUILD)/asan/mmsim

# Every scenario replayed under valgrind's memcheck: no error, no leak.
valgrind: $(MMSIM) deps-test
	@fails=0; for f in scenarios/*.json tests/cli/small.json; do \
	  valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=all \
	    $(MMSIM) run $$f >/dev/null 2>$(BUILD)/valgrind.log; rc=$$?; \
	  if [ $$rc -ne 0 ]; then echo "valgrind: $$f exit $$rc"; cat $(BUILD)/valgrind.log; fails=$$((fails+1)); fi; \
	done; echo "valgrind: scenario replays checked, $$fails with errors"; [ $$fails -eq 0 ]

# ---- fuzzing ----------------------------------------------------------------
# libFuzzer targets (clang): the scenario reader, the engine under random
# operation sequences, the step-mode command parser, the number parsers.
# make test runs each for FUZZ_SECONDS; make fuzz for FUZZ_LONG seconds.
# Every input a fuzzer ever crashed on goes into tests/fuzz/regressions/TARGET/
# and is replayed by every make test.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_LONG    ?= 600
FUZZ_TARGETS := scenario engine step parse
FUZZ_FLAGS   := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -std=c11 -D_POSIX_C_SOURCE=200809L \
                -Isim -Isim/scenario -Isim/cli -Itests
FUZZ_SRC     := $(SIM_SRC) $(SCN_SRC) sim/cli/step.c tests/model.c

deps-fuzz:
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	    >$(BUILD)/fuzzprobe.c 2>/dev/null || { mkdir -p $(BUILD) && \
	    printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >$(BUILD)/fuzzprobe.c; }
	@$(FUZZ_CC) -fsanitize=fuzzer $(BUILD)/fuzzprobe.c -o $(BUILD)/fuzzprobe 2>/dev/null || { \
	  if command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
	    echo "mmsim: installing with apt-get: clang libclang-rt-dev (libFuzzer)"; \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-dev >/dev/null || exit 1; \
	    $(FUZZ_CC) -fsanitize=fuzzer $(BUILD)/fuzzprobe.c -o $(BUILD)/fuzzprobe || exit 1; \
	  else \
	    echo "mmsim: the fuzz targets need clang with libFuzzer:"; \
	    echo "  Debian/Ubuntu: sudo apt-get install clang libclang-rt-dev   Fedora: sudo dnf install clang compiler-rt"; \
	    echo "  Arch: sudo pacman -S clang compiler-rt   macOS: brew install llvm   MSYS2: pacman -S mingw-w64-x86_64-clang"; \
	    exit 1; \
	  fi; }

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC) $(wildcard sim/*.h sim/*/*.h tests/model.h) | deps-fuzz deps-build
	@mkdir -p $(BUILD)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(FUZZ_SRC) $(CJSON_LIBS) -o $@

FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

# Replay every regression input, then fuzz each target for $(1) seconds.
define fuzz_run
	@for t in $(FUZZ_TARGETS); do \
	  bin=$(BUILD)/fuzz/fuzz_$$t; work=$(BUILD)/fuzz/corpus-$$t; mkdir -p $$work; \
	  regs=$$(ls tests/fuzz/regressions/$$t/* 2>/dev/null | grep -v '/\.keep$$'); \
	  if [ -n "$$regs" ]; then $$bin $$regs >$(BUILD)/fuzz/$$t-regressions.log 2>&1 || \
	    { echo "fuzz $$t: a regression input fails again"; tail -30 $(BUILD)/fuzz/$$t-regressions.log; exit 1; }; fi; \
	  $$bin -max_total_time=$(1) -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/$$t- -timeout=20 \
	    -rss_limit_mb=2048 $$work tests/fuzz/seeds/$$t >$(BUILD)/fuzz/$$t.log 2>&1; rc=$$?; \
	  runs=$$(grep -o 'stat::number_of_executed_units: *[0-9]*' $(BUILD)/fuzz/$$t.log | grep -o '[0-9]*$$'); \
	  if [ $$rc -ne 0 ]; then echo "fuzz $$t: FAILED after $$runs runs; the input is in $(BUILD)/fuzz/$$t-*"; \
	    echo "  (fix it, then add the input to tests/fuzz/regressions/$$t/)"; tail -40 $(BUILD)/fuzz/$$t.log; exit 1; fi; \
	  echo "fuzz $$t: $$runs executions in $(1) s, no crash, no invariant failure"; \
	done
endef

fuzz-test: $(FUZZ_BINS)
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz: $(FUZZ_BINS)
	$(call fuzz_run,$(FUZZ_LONG))

# A million randomized operations over eight processes (not in make test).
$(BUILD)/soak: tests/soak.c tests/model.c tests/model.h $(LIB) | $(BUILD)
	$(CC) $(CFLAGS) -Isim -Itests tests/soak.c tests/model.c $(LIB) -o $@

soak: $(BUILD)/soak
	$(BUILD)/soak 1000000

# ---- benchmarks -------------------------------------------------------------
$(BUILD)/bench: tests/bench.c $(LIB) | $(BUILD)
	$(CC) $(CFLAGS) -O3 -Isim $< $(LIB) -o $@

$(BUILD):
	mkdir -p $@

bench: $(BUILD)/bench
	$(BUILD)/bench

# ---- the guided tour --------------------------------------------------------
run: deps-build $(MMSIM)
	$(MMSIM) run scenarios/tour.json

clean:
	rm -rf $(BUILD)
