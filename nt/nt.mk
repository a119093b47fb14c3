# nt/nt.mk - the memory-list backends (nt/), the Windows cross-build and
# the nt tests. Included by the top-level Makefile before its rules.
#
#   make windows   build/windows/mmsim.exe (x86-64) with MinGW-w64, cJSON
#                  compiled from Debian's cJSON source package (fetched
#                  into build/windows/src with apt-get source, not committed)
#   make windows32 build/windows/mmsim32.exe (x86), for 32-bit Windows only
#   make nt-test   unit tests (marshalling, statuses, privileges, the Windows
#                  backend over a stand-in for the Win32 calls), the lists/
#                  purge/compare command-line tests, mmsim.exe under Wine
#   make nt-golden regenerate tests/nt/expected/ (review the diff)

NT_COMMON := nt/marshal.c nt/sim_backend.c nt/simbuild.c nt/real_open.c
NT_WIN_SRC := $(NT_COMMON) nt/win_backend.c nt/winapi.c
# the sources the mmsim program links: on Windows itself (MSYS2, see
# docs/lab-compare-purge.md) the real backend too
ifeq ($(OS),Windows_NT)
NT_SRC := $(NT_WIN_SRC)
CFLAGS += -D__USE_MINGW_ANSI_STDIO=1
else
NT_SRC := $(NT_COMMON)
endif

NT_BUILD := $(BUILD)/nt
WIN_BUILD := $(BUILD)/windows
WIN_CC := x86_64-w64-mingw32-gcc
WIN32_CC := i686-w64-mingw32-gcc
WINE := /usr/lib/wine/wine64
WIN_EXE := $(WIN_BUILD)/mmsim.exe
CJSON_WIN := $(WIN_BUILD)/cjson

.PHONY: windows windows32 nt-test nt-golden deps-windows deps-wine

# ---- packages ------------------------------------------------------------
# MinGW-w64 (both targets: the 32-bit build is compiled to prove that it
# builds and refuses to run on 64-bit Windows) and dpkg-dev (dpkg-source)
# for the cross-build; wine64 for the tests. Checks as in the Makefile's
# dependency step.
NT_DEPS_WINDOWS := cmd:$(WIN_CC)=gcc-mingw-w64-x86-64 cmd:$(WIN32_CC)=gcc-mingw-w64-i686 cmd:dpkg-source=dpkg-dev
NT_DEPS_WINE    := cmd:$(WINE)=wine64
NT_DEPS         := $(NT_DEPS_WINDOWS) $(NT_DEPS_WINE)
NT_OTHERS       := Fedora:  sudo dnf install mingw64-gcc mingw32-gcc wine|Arch:    sudo pacman -S mingw-w64-gcc wine|On Windows, build natively with MSYS2 instead (see docs/lab-compare-purge.md)

deps-windows: deps-build
	$(call deps,$(NT_DEPS_WINDOWS),the Windows cross-build,$(NT_OTHERS))

deps-wine:
	$(call deps,$(NT_DEPS_WINE),the tests under Wine,$(NT_OTHERS))

# ---- cJSON for Windows, from Debian's source package ------------------------
# The machine's apt sources may carry no deb-src entry: a private sources
# list under build/ names the same URIs and suites with Types: deb-src, and
# apt-get runs with its lists and cache under build/, leaving the system's
# apt state untouched.
APT_PRIV := $(WIN_BUILD)/apt
APT_OPTS = -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$(abspath $(APT_PRIV))/sources.list.d \
           -o Dir::State::Lists=$(abspath $(APT_PRIV))/lists -o Dir::Cache=$(abspath $(APT_PRIV))/cache \
           -o Debug::NoLocking=1 -o APT::Sandbox::User=root -qq

$(CJSON_WIN)/cJSON.c: | deps-windows
	@mkdir -p $(APT_PRIV)/sources.list.d $(APT_PRIV)/lists/partial $(APT_PRIV)/cache/archives/partial $(WIN_BUILD)/src
	@for f in /etc/apt/sources.list.d/*.sources; do [ -f "$$f" ] || continue; \
	  sed -e 's/^Types:.*/Types: deb-src/' "$$f"; echo; done >$(APT_PRIV)/sources.list.d/mmsim-src.sources
	@[ -s $(APT_PRIV)/sources.list.d/mmsim-src.sources ] || \
	  grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | sed 's/^deb /deb-src /' >$(APT_PRIV)/sources.list.d/mmsim-src.list
	apt-get $(APT_OPTS) update
	cd $(WIN_BUILD)/src && apt-get $(APT_OPTS) source --download-only cjson
	cd $(WIN_BUILD)/src && rm -rf cjson && dpkg-source -q -x "$$(ls cjson_*.dsc | tail -1)" cjson
	@mkdir -p $(CJSON_WIN)/cjson
	cp $(WIN_BUILD)/src/cjson/cJSON.c $(CJSON_WIN)/cJSON.c
	cp $(WIN_BUILD)/src/cjson/cJSON.h $(CJSON_WIN)/cjson/cJSON.h

# ---- the Windows program ------------------------------------------------------
# The whole program from source: engine, scenario layer, CLI, nt/ with the
# Windows backend. C99 printf formats through MinGW's own stdio.
WIN_CFLAGS := -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D__USE_MINGW_ANSI_STDIO=1 $(WARN) \
              -Isim -Isim/scenario -Isim/trace -Isim/kd -Int -I$(CJSON_WIN)

$(WIN_EXE): $(SIM_SRC) $(SCN_SRC) $(TRC_SRC) $(KD_SRC) $(CLI_SRC) $(NT_WIN_SRC) $(wildcard sim/*.h sim/*/*.h nt/*.h) \
            $(CJSON_WIN)/cJSON.c | deps-windows
	@mkdir -p $(WIN_BUILD)/obj
	$(WIN_CC) -O2 -std=c11 -w -I$(CJSON_WIN)/cjson -c $(CJSON_WIN)/cJSON.c -o $(WIN_BUILD)/obj/cJSON.o
	$(WIN_CC) $(WIN_CFLAGS) $(SIM_SRC) $(SCN_SRC) $(TRC_SRC) $(KD_SRC) $(CLI_SRC) $(NT_WIN_SRC) $(WIN_BUILD)/obj/cJSON.o \
	    -static -o $@

windows: $(WIN_EXE)

# The 32-bit program: it cannot run under the wine64 used here; it is
# built to show that it compiles (NTAPI prototypes, x86 layouts) and
# carries the refusal to run on 64-bit Windows (nt_wow64_refusal).
WIN32_EXE := $(WIN_BUILD)/mmsim32.exe
$(WIN32_EXE): $(SIM_SRC) $(SCN_SRC) $(TRC_SRC) $(KD_SRC) $(CLI_SRC) $(NT_WIN_SRC) $(wildcard sim/*.h sim/*/*.h nt/*.h) \
              $(CJSON_WIN)/cJSON.c | deps-windows
	@mkdir -p $(WIN_BUILD)/obj32
	$(WIN32_CC) -O2 -std=c11 -w -I$(CJSON_WIN)/cjson -c $(CJSON_WIN)/cJSON.c -o $(WIN_BUILD)/obj32/cJSON.o
	$(WIN32_CC) $(WIN_CFLAGS) $(SIM_SRC) $(SCN_SRC) $(TRC_SRC) $(KD_SRC) $(CLI_SRC) $(NT_WIN_SRC) $(WIN_BUILD)/obj32/cJSON.o \
	    -static -o $@

windows32: $(WIN32_EXE)

# ---- tests ---------------------------------------------------------------------
NT_UNIT := $(NT_BUILD)/unit
NT_UNIT_SRC := tests/nt/test_marshal.c tests/nt/test_compare.c tests/nt/test_win_backend.c tests/nt/fake_winapi.c \
               tests/nt/capture.c sim/cli/compare.c sim/cli/ntcmd.c sim/cli/ntcommon.c sim/cli/args.c \
               sim/scenario/parse.c sim/scenario/show.c $(NT_COMMON) nt/win_backend.c

# Built with ASan/UBSan. The Windows backend is linked over the stand-in
# for winapi.h (MMSIM_WINAPI_STANDIN makes nt_real_open use it), so the
# commands' real paths run here too.
$(NT_UNIT): $(NT_UNIT_SRC) $(wildcard tests/nt/*.h nt/*.h sim/*.h sim/cli/*.h) | deps-test
	@mkdir -p $(NT_BUILD)
	$(CC) $(CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -DMMSIM_WINAPI_STANDIN \
	    -Isim -Isim/scenario -Int -Isim/cli -Itests/nt $(NT_UNIT_SRC) $(SIM_SRC) \
	    $(CJSON_CFLAGS) $(CJSON_LIBS) $$(pkg-config --cflags --libs criterion) -o $@

nt-test: deps-test deps-windows deps-wine $(NT_UNIT) $(MMSIM) $(WIN_EXE) $(WIN32_EXE)
	@sh tests/nt/nt_tests.sh $(NT_UNIT) $(MMSIM) $(WIN_EXE) $(WINE) $(NT_BUILD) $(WIN32_EXE)

# Regenerate tests/nt/expected/ after a deliberate change of output;
# review the diff before committing.
nt-golden: $(NT_UNIT) $(MMSIM) $(WIN_EXE) $(WIN32_EXE)
	@sh tests/nt/nt_tests.sh $(NT_UNIT) $(MMSIM) $(WIN_EXE) $(WINE) $(NT_BUILD) $(WIN32_EXE) --update
