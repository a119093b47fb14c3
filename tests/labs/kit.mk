# A lab kit of mmsim: the Windows NT memory manager on i386, with parts of
# the engine for you to write. README.md is the handout.
#
#   make            build build/mmsim (the engine, the scenario layer, the program)
#   make grade      build, then run the lab's checks: one line per test
#                   ("faults: demand-zero: OK (10/10)"), the score, and
#                   results.json (Gradescope's format) in this directory
#   make run F=FILE replay a scenario with the engine you wrote (mmsim run -v)
#   make clean
#
# make grade HIDDEN=DIR also runs DIR/checks.json (the course staff's checks)
# after the lab's own. The build is strict: a warning is an error, as in the
# reference tree. It needs a C11 compiler, make, pkg-config and cJSON
# (Debian/Ubuntu: sudo apt-get install gcc make pkg-config libcjson-dev).

.DEFAULT_GOAL := all
CC      ?= cc
BUILD   := build
WARN    := -Wall -Wextra -Werror -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -DMMSIM_LAB_KIT   # a broken invariant points at the lab's code
CJSON_CFLAGS = $$(pkg-config --cflags libcjson)
CJSON_LIBS   = $$(pkg-config --libs libcjson)

SIM_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard sim/*.c))
SCN_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard sim/scenario/*.c))
TRC_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard sim/trace/*.c))
KD_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(wildcard sim/kd/*.c))
CLI_SRC := $(wildcard sim/cli/*.c sim/quiz/*.c sim/grade/*.c) nt/marshal.c nt/sim_backend.c nt/simbuild.c \
           nt/real_open.c
CLI_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRC))
MMSIM   := $(BUILD)/mmsim

.PHONY: all grade run clean deps
all: $(MMSIM)

deps:
	@command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libcjson || { \
	  echo "mmsim: pkg-config and cJSON are needed to build."; \
	  echo "  Debian/Ubuntu: sudo apt-get install pkg-config libcjson-dev"; \
	  echo "  Fedora:        sudo dnf install pkgconf cjson-devel"; \
	  echo "  macOS:         brew install pkg-config cjson"; exit 1; }

$(BUILD)/sim/%.o: sim/%.c $(wildcard sim/*.h) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/sim/scenario/%.o: sim/scenario/%.c $(wildcard sim/*.h sim/scenario/*.h) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isim $(CJSON_CFLAGS) -c $< -o $@

$(BUILD)/sim/trace/%.o: sim/trace/%.c $(wildcard sim/*.h sim/trace/*.h) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isim -c $< -o $@

$(BUILD)/sim/kd/%.o: sim/kd/%.c $(wildcard sim/*.h sim/kd/*.h) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isim -c $< -o $@

$(BUILD)/libmmsim.a: $(SIM_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/libmmscenario.a: $(SCN_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/libmmtrace.a: $(TRC_OBJ)
	$(AR) rcs $@ $^
$(BUILD)/libmmkd.a: $(KD_OBJ)
	$(AR) rcs $@ $^

# the program's own files, one object each: a change to the engine relinks
# them and recompiles none
$(CLI_OBJ): $(BUILD)/%.o: %.c $(wildcard sim/*.h sim/*/*.h nt/*.h) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isim -Isim/scenario -Isim/trace -Isim/kd -Int $(CJSON_CFLAGS) -c $< -o $@

$(MMSIM): $(CLI_OBJ) $(BUILD)/libmmscenario.a $(BUILD)/libmmtrace.a $(BUILD)/libmmkd.a $(BUILD)/libmmsim.a | deps
	$(CC) $(CFLAGS) $(CLI_OBJ) $(BUILD)/libmmscenario.a $(BUILD)/libmmtrace.a $(BUILD)/libmmkd.a \
	    $(BUILD)/libmmsim.a $(CJSON_LIBS) -o $@

grade: $(MMSIM)
	@rm -f results.json; $(MMSIM) grade lab --results results.json grade/checks.json $(if $(HIDDEN),$(HIDDEN)/checks.json); \
	  s=$$?; if [ $$s -le 1 ]; then echo "results.json written"; else echo "no results.json: see the error above"; fi; \
	  [ $$s -le 1 ]

run: $(MMSIM)
	@[ -n "$(F)" ] || { echo "usage: make run F=scenarios/demand-zero.json"; exit 2; }
	$(MMSIM) run -v $(F)

clean:
	rm -rf $(BUILD) results.json
