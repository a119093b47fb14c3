# mmsim - an educational simulator of the Windows NT memory manager on i386.
#
#   make            build build/libmmsim.a
#   make run        install what is missing, build, play the guided tour
#   make test       install what is missing, build, run every test
#   make bench      speed and memory figures for this machine
#   make asan       the unit tests built with AddressSanitizer + UBSan
#   make mutate     the mutation run: kill rate per layer (not part of make test)
#   make labkit LAB=NAME [DEST=DIR]  a lab kit for students (docs/labs/)
#   make clean
#
# Every target first checks for the tools and libraries it needs (the
# compiler included; see "dependencies" below). As root (or with password-
# less sudo) on Debian/Ubuntu the Makefile installs what is missing with
# apt-get; elsewhere it stops and prints the install command for your system.

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
# the trace layer (streaming readers, the two-pass driver, reports, plots)
TRC_SRC := $(wildcard sim/trace/*.c)
TRC_OBJ := $(TRC_SRC:%.c=$(BUILD)/%.o)
TRC_LIB := $(BUILD)/libmmtrace.a
# the kernel debugger's views (!pte, !pfn, ...): mm.h only, no cJSON or SDL,
# so both the mmsim program and mmviz link it
KD_SRC  := $(wildcard sim/kd/*.c)
KD_OBJ  := $(KD_SRC:%.c=$(BUILD)/%.o)
KD_LIB  := $(BUILD)/libmmkd.a
# the course labs: mmsim quiz (sim/quiz/) and mmsim grade (sim/grade/)
LAB_SRC := $(wildcard sim/quiz/*.c sim/grade/*.c)
LAB_TEST_SRC := $(LAB_SRC) sim/cli/args.c
CLI_SRC := $(wildcard sim/cli/*.c) $(LAB_SRC)
# The program the tests run (MMSIM=PATH tests another build) and the one
# this Makefile builds: two names, so that MMSIM=PATH never makes PATH a
# target that the build would overwrite.
MMSIM_BIN := $(BUILD)/mmsim
MMSIM     := $(MMSIM_BIN)
CJSON_CFLAGS = $$(pkg-config --cflags libcjson)
CJSON_LIBS   = $$(pkg-config --libs libcjson)
# libedit: line editing and history in step mode (sim/cli/lineedit.c; see
# docs/dependencies.md). Not on Windows, whose console edits lines itself.
ifeq ($(OS),Windows_NT)
EDIT_CFLAGS :=
EDIT_LIBS   :=
else
EDIT_CFLAGS = -DMMSIM_LIBEDIT $$(pkg-config --cflags libedit)
EDIT_LIBS   = $$(pkg-config --libs libedit)
endif

# The Windows backend (nt/) and the visualizer (viz/) keep their rules in
# fragments of their own: NT_SRC joins the mmsim program; each fragment
# defines its test target (nt-test, viz-test), run by make test.
NT_SRC :=
include nt/nt.mk
include viz/viz.mk

TEST_SRC := $(wildcard tests/test_*.c)
TEST_SUPPORT := tests/support.c tests/model.c
TEST_BIN := $(BUILD)/tests/unit

.PHONY: all run test test-build bench asan clang-test valgrind fuzz fuzz-test soak mutate clean deps-build deps-test \
        deps-fuzz deps-all golden labkit labkit-test
all: $(LIB) $(TRC_LIB) $(MMSIM_BIN)

# ---- dependencies ------------------------------------------------------
# What the targets need, as CHECK=PACKAGES words: the check that shows a
# tool or library is there, and the Debian/Ubuntu packages (joined by +)
# that provide it. A CHECK is
#   cc          $(CC) compiles and links a C program (compiler, C library)
#   fuzz        $(FUZZ_CC) links a libFuzzer target (clang and its runtime)
#   cmd:NAME    NAME is a command on PATH, or an executable file
#   pc:MODULE   pkg-config knows MODULE
#   py:MODULE   /usr/bin/python3 imports MODULE
#   font        the DejaVu Sans Mono font, by its Debian path or fc-match
# $(call deps,CHECKS,WHAT,OTHERS) runs the checks and installs the packages
# of the failed ones with one apt-get call when this is Debian or Ubuntu and
# make runs as root or with password-less sudo; otherwise it prints the
# Debian command and OTHERS (the commands for other systems, separated by
# |) and stops. When every check passes it installs nothing and is quiet.
DEPS_CC_PKG := $(if $(findstring clang,$(CC)),clang,gcc)
DEPS_BUILD  := cc=$(DEPS_CC_PKG)+libc6-dev cmd:pkg-config=pkg-config pc:libcjson=libcjson-dev pc:libedit=libedit-dev
DEPS_TEST   := pc:criterion=libcriterion-dev cmd:valgrind=valgrind cmd:/usr/bin/python3=python3 \
               py:jsonschema=python3-jsonschema cmd:script=bsdutils
DEPS_FUZZ   := fuzz=clang+libclang-rt-dev
# the visualizer and its tests (viz/viz.mk has its own steps for make mmviz)
DEPS_VIZ    := pc:sdl2=libsdl2-dev pc:SDL2_ttf=libsdl2-ttf-dev pc:SDL2_image=libsdl2-image-dev \
               font=fonts-dejavu-core cmd:xvfb-run=xvfb cmd:xauth=xauth
# everything make test runs (NT_DEPS comes from nt/nt.mk)
DEPS_ALL     = $(DEPS_BUILD) $(DEPS_TEST) $(DEPS_FUZZ) $(NT_DEPS) $(DEPS_VIZ)

OTHERS_BUILD := Fedora:  sudo dnf install gcc pkgconf cjson-devel libedit-devel|Arch:    sudo pacman -S gcc pkgconf cjson libedit|macOS:   xcode-select --install and brew install pkg-config cjson libedit|MSYS2:   pacman -S make mingw-w64-x86_64-gcc mingw-w64-x86_64-pkgconf mingw-w64-x86_64-cjson (no libedit: the console edits lines itself)
OTHERS_TEST  := Fedora:  sudo dnf install criterion-devel valgrind python3-jsonschema|Arch:    sudo pacman -S criterion valgrind python-jsonschema|macOS:   brew install criterion and python3 -m pip install jsonschema (no valgrind on Apple silicon)
OTHERS_FUZZ  := Fedora:  sudo dnf install clang compiler-rt|Arch:    sudo pacman -S clang compiler-rt|macOS:   brew install llvm|MSYS2:   pacman -S mingw-w64-x86_64-clang
OTHERS_ALL   := $(OTHERS_BUILD)|$(OTHERS_TEST)|$(OTHERS_FUZZ)|(make windows, nt-test and viz-test: see docs/testing.md)

define deps
	@have() { case $$1 in \
	  cc) p=$$(mktemp) && printf 'int main(void) { return 0; }\n' | $(CC) -x c - -o $$p >/dev/null 2>&1; r=$$?; rm -f $$p; return $$r ;; \
	  fuzz) p=$$(mktemp) && printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' | \
	        $(FUZZ_CC) -fsanitize=fuzzer -x c - -o $$p >/dev/null 2>&1; r=$$?; rm -f $$p; return $$r ;; \
	  cmd:*) command -v "$${1#cmd:}" >/dev/null 2>&1 ;; \
	  pc:*) pkg-config --exists "$${1#pc:}" 2>/dev/null ;; \
	  py:*) /usr/bin/python3 -c "import $${1#py:}" 2>/dev/null ;; \
	  font) [ -r /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || \
	        fc-match -f '%{file}' 'DejaVu Sans Mono' 2>/dev/null | grep -qi dejavu ;; \
	  *) echo "mmsim: the Makefile lists an unknown check '$$1'" >&2; return 1 ;; \
	  esac; }; \
	missing() { m=""; for item in $(1); do have "$${item%%=*}" && continue; \
	  for p in $$(echo "$${item#*=}" | tr + ' '); do case " $$m " in *" $$p "*) ;; *) m="$$m $$p" ;; esac; done; \
	  done; echo "$$m"; }; \
	m=$$(missing); [ -z "$$m" ] && exit 0; \
	echo "mmsim: missing for $(2):$$m"; \
	if command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
	  apt="$$sudo env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0"; log=$$(mktemp); \
	  echo "mmsim: installing with apt-get:$$m"; \
	  $$apt install --no-install-recommends $$m >$$log 2>&1 || \
	  { $$apt update >>$$log 2>&1 && $$apt install --no-install-recommends $$m >>$$log 2>&1; } || \
	  { tail -n 15 $$log; rm -f $$log; echo "mmsim: apt-get could not install:$$m"; exit 1; }; \
	  rm -f $$log; m=$$(missing); \
	  [ -z "$$m" ] || { echo "mmsim: still missing after the install:$$m"; exit 1; }; \
	else \
	  echo "Install them, then run make again:"; \
	  echo "  Debian/Ubuntu: sudo apt-get install$$m"; \
	  printf '%s\n' '$(3)' | tr '|' '\n' | sed 's/^/  /'; \
	  exit 1; \
	fi
endef

# $(call need,pkg-config modules,Debian packages,Fedora,Arch,Homebrew,MSYS2):
# the older form, by pkg-config module only (viz/viz.mk uses it).
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

# the compiler, pkg-config and cJSON: what make and make run need
deps-build:
	$(call deps,$(DEPS_BUILD),building mmsim,$(OTHERS_BUILD))

# Criterion, valgrind, Python's jsonschema: the unit, CLI and schema tests
deps-test: deps-build
	$(call deps,$(DEPS_TEST),the tests,$(OTHERS_TEST))

# clang with libFuzzer: the fuzz targets
deps-fuzz: deps-build
	$(call deps,$(DEPS_FUZZ),the fuzz targets,$(OTHERS_FUZZ))

# everything make test runs, in one install
deps-all:
	$(call deps,$(DEPS_ALL),make test,$(OTHERS_ALL))

# ---- the engine -----------------------------------------------------------
$(BUILD)/sim/%.o: sim/%.c $(wildcard sim/*.h) | $(BUILD)/sim deps-build
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(SIM_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/sim/scenario/%.o: sim/scenario/%.c $(wildcard sim/*.h sim/scenario/*.h) | deps-build
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isim $(CJSON_CFLAGS) -c $< -o $@

$(SCN_LIB): $(SCN_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/sim/trace/%.o: sim/trace/%.c $(wildcard sim/*.h sim/trace/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isim -c $< -o $@

$(TRC_LIB): $(TRC_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/sim/kd/%.o: sim/kd/%.c $(wildcard sim/*.h sim/kd/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isim -c $< -o $@

$(KD_LIB): $(KD_OBJ)
	$(AR) rcs $@ $^

$(MMSIM_BIN): $(CLI_SRC) $(NT_SRC) $(wildcard sim/cli/*.h sim/quiz/*.h sim/grade/*.h sim/scenario/*.h sim/trace/*.h sim/kd/*.h nt/*.h) $(SCN_LIB) $(TRC_LIB) $(KD_LIB) $(LIB) | deps-build
	$(CC) $(CFLAGS) $(EDIT_CFLAGS) -Isim -Isim/scenario -Isim/trace -Isim/kd -Int $(CLI_SRC) $(NT_SRC) $(SCN_LIB) $(TRC_LIB) \
	    $(KD_LIB) $(LIB) $(CJSON_LIBS) $(EDIT_LIBS) -o $@

$(BUILD)/sim $(BUILD)/tests:
	mkdir -p $@

# ---- tests ----------------------------------------------------------------
# A real program's references for tests/test_trace.c, from valgrind's lackey.
$(BUILD)/tests/lackey.trace: | $(BUILD)/tests deps-test
	valgrind --tool=lackey --trace-mem=yes --log-file=$@.tmp /bin/echo mmsim >/dev/null && mv $@.tmp $@

# The unit tests, compiled file by file so that make -j compiles them side
# by side (make test builds everything with -j$(JOBS) first).
TEST_C   := $(TEST_SRC) $(TEST_SUPPORT) sim/cli/step.c sim/cli/lineedit.c $(LAB_TEST_SRC)
TEST_OBJ := $(TEST_C:%.c=$(BUILD)/tests/obj/%.o)
TEST_HDR := $(wildcard sim/*.h sim/*/*.h tests/*.h)
TEST_INC := -Isim -Isim/scenario -Isim/cli -Isim/trace -Isim/kd

$(BUILD)/tests/obj/%.o: %.c $(TEST_HDR) | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_INC) $(CJSON_CFLAGS) $$(pkg-config --cflags criterion) -c $< -o $@

$(TEST_BIN): $(TEST_OBJ) $(LIB) $(SCN_LIB) $(TRC_LIB) $(KD_LIB) $(BUILD)/tests/lackey.trace | $(BUILD)/tests deps-test
	$(CC) $(CFLAGS) $(TEST_OBJ) $(SCN_LIB) $(TRC_LIB) $(KD_LIB) $(LIB) $(CJSON_LIBS) $$(pkg-config --libs criterion) -o $@

# The tables of scenario ops and expectations as JSON, for check_format.py.
SCN_TABLES := $(BUILD)/tests/scenario-tables
$(SCN_TABLES): tests/scenario_tables.c $(SCN_LIB) $(LIB) | $(BUILD)/tests deps-build
	$(CC) $(CFLAGS) -Isim -Isim/scenario $< $(SCN_LIB) $(LIB) $(CJSON_LIBS) -o $@

# Every test: unit tests, scenarios against their golden transcripts, the
# bad-input corpus, the command line, the schema, the format's tables
# against the schema and the docs, the docs' symbols, the student guide's
# samples against mmsim's output, the scenarios under valgrind, the unit
# and command-line tests again under the sanitizers, the fuzz targets, the
# Windows backend and the visualizer. Every program they run is built
# first, JOBS compilers at a time (one per processor), then the tests run
# in turn, each using both processors where it can.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test: deps-all
	@$(MAKE) --no-print-directory -j$(JOBS) test-build
	$(TEST_BIN) --jobs 2
	sh tests/cli_tests.sh $(MMSIM)
	sh tests/labkit_test.sh $(MMSIM)
	$(MAKE) --no-print-directory clang-test
	/usr/bin/python3 tests/check_schema.py
	/usr/bin/python3 tests/check_format.py $(SCN_TABLES)
	sh tests/check_docs.sh
	/usr/bin/python3 tests/guide_samples.py $(MMSIM) docs/student-guide.md
	$(MAKE) --no-print-directory valgrind
	$(MAKE) --no-print-directory asan
	$(MAKE) --no-print-directory fuzz-test
	$(MAKE) --no-print-directory nt-test
	$(MAKE) --no-print-directory viz-test

# The mutation run (not part of make test): every mutant in
# tests/mutate/mutants.txt applied to a copy of its file, built and run
# against the fast subset (goldens and unit tests); kill rate per layer.
# make mutate MUTANTS=FILE runs the mutants listed in FILE instead
MUTANTS ?= tests/mutate/mutants.txt
mutate: $(MMSIM_BIN) $(TEST_BIN)
	CC="$(CC)" NT_SRC="$(NT_SRC)" sh tests/mutate/mutate.sh $(MUTANTS)

# Regenerate the golden transcripts and command-line outputs after a
# deliberate change of output; review the diff before committing.
golden: $(MMSIM_BIN)
	sh tests/cli_tests.sh $(MMSIM) --update

# The same tests, built with AddressSanitizer and UndefinedBehaviorSanitizer.
# The sources both programs share are compiled once, to build/asan/.
# The unit tests' per-test time limits are off there (see SLOW in
# tests/support.h); the whole run has one limit instead.
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_CC    = $(CC) $(ASAN_FLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -Isim -Isim/scenario -Isim/cli -Isim/trace -Isim/kd
ASAN_SHARED := $(SIM_SRC) $(SCN_SRC) $(TRC_SRC) $(KD_SRC) $(LAB_SRC) sim/cli/args.c sim/cli/step.c
ASAN_OBJ := $(ASAN_SHARED:%.c=$(BUILD)/asan/%.o)
ASAN_CLI := $(filter-out $(ASAN_SHARED),$(CLI_SRC))

$(BUILD)/asan/%.o: %.c $(wildcard sim/*.h sim/*/*.h) | deps-test
	@mkdir -p $(dir $@)
	$(ASAN_CC) $(CJSON_CFLAGS) -c $< -o $@

# the unit tests' own files, with the slow tests' time limits off
ASAN_TEST_OBJ := $(patsubst %.c,$(BUILD)/asan/tests/obj/%.o,sim/cli/lineedit.c $(TEST_SRC) $(TEST_SUPPORT))

$(BUILD)/asan/tests/obj/%.o: %.c $(TEST_HDR) | deps-test
	@mkdir -p $(dir $@)
	$(ASAN_CC) -DMM_TEST_NO_TIMEOUT $(CJSON_CFLAGS) $$(pkg-config --cflags criterion) -c $< -o $@

$(BUILD)/asan/unit: $(ASAN_TEST_OBJ) $(ASAN_OBJ) | deps-test
	$(ASAN_CC) $(ASAN_TEST_OBJ) $(ASAN_OBJ) $(CJSON_LIBS) $$(pkg-config --libs criterion) -o $@

$(BUILD)/asan/mmsim: $(ASAN_CLI) $(NT_SRC) $(ASAN_OBJ) $(TEST_HDR) $(wildcard nt/*.h) | deps-test
	$(ASAN_CC) $(EDIT_CFLAGS) -Int $(ASAN_CLI) $(NT_SRC) $(ASAN_OBJ) $(CJSON_LIBS) $(EDIT_LIBS) -o $@

# (the unit tests read and write files under build/tests/, whatever build
# they are of: the lackey trace is made there)
asan: deps-test $(BUILD)/asan/unit $(BUILD)/asan/mmsim $(BUILD)/tests/lackey.trace
	ASAN_OPTIONS=detect_leaks=1 timeout 1800 $(BUILD)/asan/unit --jobs 2
	ASAN_OPTIONS=detect_leaks=1 sh tests/cli_tests.sh $(BUILD)/asan/mmsim

# The second compiler: the programs and the unit tests built by clang (the
# C compiler of macOS and of the BSDs) with the same warnings as errors,
# into build/clang/, and the unit tests run. gcc and clang warn about
# different things; a build that only gcc has seen breaks elsewhere.
clang-test: deps-all $(BUILD)/tests/lackey.trace
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=$(BUILD)/clang CC=clang $(BUILD)/clang/mmsim $(BUILD)/clang/mmviz \
	  $(BUILD)/clang/tests/unit
	$(BUILD)/clang/tests/unit --jobs 2

# Every scenario replayed under valgrind's memcheck: no error, no leak.
# Two at a time (valgrind runs one thread); each has its own log.
valgrind: $(MMSIM_BIN) deps-test
	@mkdir -p $(BUILD)/valgrind; rm -f $(BUILD)/valgrind/*.log; \
	ls scenarios/*.json tests/cli/small.json | xargs -P 2 -I{} sh -c \
	  'log=$(BUILD)/valgrind/$$(echo {} | tr / _).log; \
	   valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=all \
	     $(MMSIM) run {} >/dev/null 2>$$log.tmp; rc=$$?; \
	   if [ $$rc -ne 0 ]; then { echo "valgrind: {} exit $$rc"; cat $$log.tmp; } >$$log; fi; rm -f $$log.tmp'; \
	fails=$$(ls $(BUILD)/valgrind/*.log 2>/dev/null | wc -l); cat $(BUILD)/valgrind/*.log 2>/dev/null; \
	echo "valgrind: scenario replays checked, $$fails with errors"; [ $$fails -eq 0 ]

# ---- fuzzing ----------------------------------------------------------------
# libFuzzer targets (clang): the scenario reader, the engine under random
# operation sequences, the step-mode command parser, the number parsers,
# the strict JSON scanner against cJSON, the trace reader and driver.
# make test runs each for FUZZ_SECONDS; make fuzz for FUZZ_LONG seconds.
# Every input a fuzzer ever crashed on goes into tests/fuzz/regressions/TARGET/
# and is replayed by every make test. The trace driver's copy buffer holds 5
# page numbers in the fuzz build (COPY_WORDS), so that small traces refill it
# in the middle of a turn.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 20
FUZZ_LONG    ?= 600
FUZZ_TARGETS := scenario engine step parse json trace
FUZZ_FLAGS   := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -std=c11 -D_POSIX_C_SOURCE=200809L \
                -Isim -Isim/scenario -Isim/cli -Isim/kd -Isim/trace -Itests \
                -fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt -DCOPY_WORDS=5
FUZZ_SRC     := $(SIM_SRC) $(SCN_SRC) $(KD_SRC) $(TRC_SRC) sim/cli/step.c sim/cli/lineedit.c tests/model.c

# The sources every target shares are compiled once (instrumented for the
# fuzzer, not linked with its main), then each target links them.
FUZZ_OBJ     := $(FUZZ_SRC:%.c=$(BUILD)/fuzz/obj/%.o)
.SECONDARY: $(FUZZ_OBJ)

$(BUILD)/fuzz/obj/%.o: %.c $(wildcard sim/*.h sim/*/*.h tests/model.h) tests/fuzz/coverage-ignore.txt | deps-fuzz deps-build
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) | deps-fuzz deps-build
	@mkdir -p $(BUILD)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(FUZZ_OBJ) $(CJSON_LIBS) -o $@

FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

# Replay every regression input, then fuzz each target for $(1) seconds,
# JOBS targets at a time (tests/fuzz/run.sh).
fuzz_run = @sh tests/fuzz/run.sh $(BUILD) $(1) $(JOBS) $(FUZZ_TARGETS)

fuzz-test: $(FUZZ_BINS)
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz: $(FUZZ_BINS)
	$(call fuzz_run,$(FUZZ_LONG))

# A million randomized operations over eight processes (not in make test).
$(BUILD)/soak: tests/soak.c tests/model.c tests/model.h $(LIB) | $(BUILD) deps-build
	$(CC) $(CFLAGS) -Isim -Itests tests/soak.c tests/model.c $(LIB) -o $@

soak: $(BUILD)/soak
	$(BUILD)/soak 1000000

# ---- benchmarks -------------------------------------------------------------
$(BUILD)/bench: tests/bench.c $(SCN_LIB) $(LIB) | $(BUILD) deps-build
	$(CC) $(CFLAGS) -O3 -Isim -Isim/scenario $< $(SCN_LIB) $(LIB) $(CJSON_LIBS) -o $@

$(BUILD):
	mkdir -p $@

# make bench SECTIONS="trace scenario" runs only those (engine, trace, scenario)
bench: $(BUILD)/bench
	$(BUILD)/bench $(SECTIONS)

# ---- lab kits (tests/labs/, docs/labs/) ----------------------------------------------
# make labkit LAB=NAME [DEST=DIR] [KIT=reference]: a student's tree with the
# lab's parts of the engine replaced by stubs (KIT=reference keeps them).
# labkit-test: every lab's checks against this engine, every stub kit built
# and graded (zero), a reference kit graded (full marks).
LAB  ?=
DEST ?= $(BUILD)/labkit/$(LAB)
KIT  ?= stub
labkit:
	@[ -n "$(LAB)" ] || { echo "usage: make labkit LAB=NAME [DEST=DIR] (labs: walk, fault, ws, cow; docs/labs/)"; exit 2; }
	@sh tests/labs/labkit.sh $(LAB) $(DEST) $(KIT)

labkit-test: deps-test $(MMSIM_BIN)
	sh tests/labkit_test.sh $(MMSIM)

# ---- the guided tour --------------------------------------------------------
run: deps-build $(MMSIM_BIN)
	$(MMSIM) run scenarios/tour.json

clean:
	rm -rf $(BUILD)

# Every program make test runs (its first step, with -j). Last in the file:
# the fuzz, Windows and visualizer names are defined above.
test-build: $(TEST_BIN) $(MMSIM_BIN) $(SCN_TABLES) $(BUILD)/bench $(BUILD)/asan/unit $(BUILD)/asan/mmsim \
            $(FUZZ_BINS) $(NT_UNIT) $(WIN_EXE) $(WIN32_EXE) \
            $(MMVIZ) $(VIZ_BUILD)/test_viz $(VIZ_BUILD)/asan/mmviz $(VIZ_BUILD)/asan/test_viz
