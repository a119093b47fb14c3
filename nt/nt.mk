# nt/nt.mk - the memory-list backends (nt/), the Windows cross-build and
# the nt tests. Included by the top-level Makefile before its rules.
#
#   make windows   build/windows/mmsim.exe (x86-64) with MinGW-w64, cJSON
#                  compiled from Debian's cJSON source package (fetched
#                  into build/windows/src with apt-get source, not committed)
#   make nt-test   marshalling/status/privilege unit tests, the lists/purge/
#                  compare command-line tests, then mmsim.exe under Wine
#   make nt-golden regenerate tests/nt/expected/ (review the diff)

NT_COMMON := nt/marshal.c nt/sim_backend.c nt/simbuild.c
NT_WIN_SRC := $(NT_COMMON) nt/win_backend.c nt/winapi.c
# the sources the mmsim program links: on Windows itself (MSYS2, see
# docs/lab-compare-purge.md) the real backend, elsewhere real_none.c
ifeq ($(OS),Windows_NT)
NT_SRC := $(NT_WIN_SRC)
CFLAGS += -D__USE_MINGW_ANSI_STDIO=1
else
NT_SRC := $(NT_COMMON) nt/real_none.c
endif

NT_BUILD := $(BUILD)/nt
WIN_BUILD := $(BUILD)/windows
WIN_CC := x86_64-w64-mingw32-gcc
WINE := /usr/lib/wine/wine64
WIN_EXE := $(WIN_BUILD)/mmsim.exe
CJSON_WIN := $(WIN_BUILD)/cjson

.PHONY: windows nt-test nt-golden deps-windows deps-wine

# ---- packages ------------------------------------------------------------
# MinGW-w64 and dpkg-dev (dpkg-source) for the cross-build; wine64 for the
# tests. They have no pkg-config module, so they are found by their commands.
define nt_need_cmd
	@command -v $(1) >/dev/null 2>&1 || [ -x "$(1)" ] || { \
	  if command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
	    echo "mmsim: installing with apt-get: $(2)"; \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(2) >/dev/null || \
	    { $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	      $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(2) >/dev/null; } || exit 1; \
	  else \
	    echo "mmsim: $(1) is missing. Install it, then run make again:"; \
	    echo "  Debian/Ubuntu: sudo apt-get install $(2)"; \
	    echo "  Fedora: sudo dnf install $(3)   Arch: sudo pacman -S $(4)"; \
	    echo "  On Windows, build natively with MSYS2 instead (see docs/lab-compare-purge.md)"; \
	    exit 1; \
	  fi; }
endef

deps-windows:
	$(call nt_need_cmd,$(WIN_CC),gcc-mingw-w64-x86-64 dpkg-dev,mingw64-gcc,mingw-w64-gcc)
	$(call nt_need_cmd,dpkg-source,dpkg-dev,dpkg,dpkg)

deps-wine:
	$(call nt_need_cmd,$(WINE),wine64,wine,wine)

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

# ---- tests ---------------------------------------------------------------------
NT_UNIT := $(NT_BUILD)/unit

# built with ASan/UBSan; links ntcmd.c for compare's tests
$(NT_UNIT): tests/nt/test_marshal.c tests/nt/test_compare.c tests/nt/recorded.h sim/cli/ntcmd.c sim/cli/ntcmd.h \
            $(NT_COMMON) nt/real_none.c $(wildcard nt/*.h sim/*.h) | deps-test
	@mkdir -p $(NT_BUILD)
	$(CC) $(CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -Isim -Int -Isim/cli -Itests/nt \
	    tests/nt/test_marshal.c tests/nt/test_compare.c sim/cli/ntcmd.c $(NT_COMMON) nt/real_none.c $(SIM_SRC) \
	    $(CJSON_CFLAGS) $(CJSON_LIBS) $$(pkg-config --cflags --libs criterion) -o $@

nt-test: deps-test deps-windows deps-wine $(NT_UNIT) $(MMSIM) $(WIN_EXE)
	@sh tests/nt/nt_tests.sh $(NT_UNIT) $(MMSIM) $(WIN_EXE) $(WINE) $(NT_BUILD)

# Regenerate tests/nt/expected/ after a deliberate change of output;
# review the diff before committing.
nt-golden: $(NT_UNIT) $(MMSIM) $(WIN_EXE)
	@sh tests/nt/nt_tests.sh $(NT_UNIT) $(MMSIM) $(WIN_EXE) $(WINE) $(NT_BUILD) --update
