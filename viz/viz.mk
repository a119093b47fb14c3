# viz/viz.mk - mmviz, the SDL2 visualizer (included by the top-level
# Makefile before its rules).
#
#   make            also builds build/mmviz when pkg-config finds SDL2,
#                   SDL2_ttf and SDL2_image (the engine and mmsim never
#                   depend on SDL)
#   make mmviz      installs what is missing, then builds build/mmviz
#   make viz-test   headless renders checked pixel by pixel, a real window
#                   under Xvfb driven by a script, the same under ASan/UBSan
#   make viz-run    plays the guided tour in a window (VIZ_SCENARIO=FILE for another)

MMVIZ        := $(BUILD)/mmviz
VIZ_BUILD    := $(BUILD)/viz
VIZ_SRC      := $(wildcard viz/*.c) sim/cli/args.c
VIZ_CORE_SRC := $(filter-out viz/main.c,$(VIZ_SRC))
VIZ_HDR      := $(wildcard viz/*.h sim/*.h sim/scenario/*.h sim/kd/*.h) sim/cli/args.h
VIZ_MODS     := sdl2 SDL2_ttf SDL2_image
# SDL's headers are included as system headers: our strict warnings are
# for our code.
VIZ_CFLAGS    = -Isim -Isim/scenario -Isim/kd -Isim/cli -Iviz $$(pkg-config --cflags $(VIZ_MODS) libcjson | sed 's/-I/-isystem /g')
VIZ_LIBS      = $$(pkg-config --libs $(VIZ_MODS) libcjson) -lm
VIZ_HAVE_SDL := $(shell pkg-config --exists $(VIZ_MODS) 2>/dev/null && echo yes)
VIZ_SCENARIO ?= scenarios/tour.json

.PHONY: mmviz viz-test viz-run deps-viz deps-viz-test

ifeq ($(VIZ_HAVE_SDL),yes)
all: $(MMVIZ)
endif

deps-viz: deps-build
	$(call need,$(VIZ_MODS),libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev fonts-dejavu-core,SDL2-devel SDL2_ttf-devel SDL2_image-devel dejavu-sans-mono-fonts,sdl2 sdl2_ttf sdl2_image ttf-dejavu,sdl2 sdl2_ttf sdl2_image font-dejavu,mingw-w64-x86_64-SDL2 mingw-w64-x86_64-SDL2_ttf mingw-w64-x86_64-SDL2_image)

# The tests also need the font, a virtual X server and xdotool's friends.
deps-viz-test: deps-viz
	@missing=""; \
	[ -r /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || fc-match -f '%{file}' 'DejaVu Sans Mono' 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	command -v xvfb-run >/dev/null 2>&1 || missing="$$missing xvfb"; \
	command -v xauth >/dev/null 2>&1 || missing="$$missing xauth"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
	    echo "mmsim: installing with apt-get:$$missing"; \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "mmsim: the visualizer tests need:$$missing"; \
	    echo "  Debian/Ubuntu: sudo apt-get install$$missing"; \
	    echo "  Fedora: sudo dnf install dejavu-sans-mono-fonts xorg-x11-server-Xvfb xorg-x11-xauth"; \
	    echo "  Arch: sudo pacman -S ttf-dejavu xorg-server-xvfb xorg-xauth"; \
	    exit 1; \
	  fi; \
	fi

mmviz: deps-viz $(MMVIZ)

$(MMVIZ): $(VIZ_SRC) $(VIZ_HDR) $(SCN_LIB) $(KD_LIB) $(LIB)
	$(CC) $(CFLAGS) $(VIZ_CFLAGS) $(VIZ_SRC) $(SCN_LIB) $(KD_LIB) $(LIB) $(VIZ_LIBS) -o $@

# The pixel tests link the visualizer without its main().
VIZ_TEST_SRC := tests/viz/test_viz.c tests/viz/test_text.c tests/viz/test_section.c
$(VIZ_BUILD)/test_viz: $(VIZ_TEST_SRC) tests/viz/viztest.h $(VIZ_CORE_SRC) $(VIZ_HDR) $(SCN_LIB) $(KD_LIB) $(LIB)
	@mkdir -p $(VIZ_BUILD)
	$(CC) $(CFLAGS) $(VIZ_CFLAGS) -Itests/viz $(VIZ_TEST_SRC) $(VIZ_CORE_SRC) $(SCN_LIB) $(KD_LIB) $(LIB) $(VIZ_LIBS) -o $@

# The same two programs with AddressSanitizer and UBSan, engine included.
VIZ_ASAN_SRC := $(SIM_SRC) $(SCN_SRC) $(KD_SRC)
$(VIZ_BUILD)/asan/mmviz: $(VIZ_SRC) $(VIZ_HDR) $(VIZ_ASAN_SRC)
	@mkdir -p $(VIZ_BUILD)/asan
	$(CC) $(ASAN_FLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(VIZ_CFLAGS) $(VIZ_SRC) $(VIZ_ASAN_SRC) $(VIZ_LIBS) -o $@

$(VIZ_BUILD)/asan/test_viz: $(VIZ_TEST_SRC) tests/viz/viztest.h $(VIZ_CORE_SRC) $(VIZ_HDR) $(VIZ_ASAN_SRC)
	@mkdir -p $(VIZ_BUILD)/asan
	$(CC) $(ASAN_FLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(VIZ_CFLAGS) -Itests/viz $(VIZ_TEST_SRC) $(VIZ_CORE_SRC) \
	    $(VIZ_ASAN_SRC) $(VIZ_LIBS) -o $@

viz-test: deps-viz-test
	@$(MAKE) --no-print-directory $(MMVIZ) $(VIZ_BUILD)/test_viz $(VIZ_BUILD)/asan/mmviz $(VIZ_BUILD)/asan/test_viz
	sh tests/viz/run.sh $(MMVIZ) $(VIZ_BUILD)

viz-run: mmviz
	$(MMVIZ) $(VIZ_SCENARIO)
