# khet: build, run, test, bench, install.
# `make run` and `make test` install any missing Debian package first (.ci/deps).

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
SHARE    = $(PREFIX)/share/khet

ifeq ($(SANITIZE),1)
BUILD    := build/sanitize
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

PKGS    := harfbuzz icu-uc icu-i18n inih jansson libcmark xlsxwriter libqpdf sqlite3 libcrypto cmocka
CFLAGS  ?= -O2 -g
# Recursively expanded on purpose: pkg-config runs after `deps` has installed it.
KFLAGS   = -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -MMD -MP $(SANFLAGS) \
           $(shell pkg-config --cflags $(PKGS)) -DKHET_SHARE='"$(SHARE)"' $(CFLAGS)
LIBS     = $(shell pkg-config --libs harfbuzz icu-uc icu-i18n inih jansson libcmark xlsxwriter libqpdf sqlite3 libcrypto) -lhpdf -lcsv -lm

LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
FONTS    := fonts/Laksaman.ttf fonts/Laksaman-Bold.ttf fonts/NotoSansThai-Regular.ttf fonts/NotoSansThai-Bold.ttf
TLWG     := /usr/share/fonts/truetype/tlwg
NOTO     := /usr/share/fonts/truetype/noto

.PHONY: all deps run test bench fuzz install clean check-data
all: $(BUILD)/khet $(FONTS)

deps:
	@sh .ci/deps

$(BUILD) $(BUILD)/tests:
	@mkdir -p $@

$(BUILD)/%.o: src/%.c | deps $(BUILD)
	$(CC) $(KFLAGS) -c -o $@ $<

$(BUILD)/khet: $(BUILD)/main.o $(LIB_OBJ)
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/%.c $(LIB_OBJ) | deps $(BUILD)/tests
	$(CC) $(KFLAGS) -Isrc -DFIXTURES='"tests/fixtures"' -o $@ $< $(LIB_OBJ) $(LIBS) $(shell pkg-config --libs cmocka)

# The allocation-failure test routes khet's own allocations through hooks.
$(BUILD)/tests/test_oom: tests/test_oom.c $(LIB_OBJ) | deps $(BUILD)/tests
	$(CC) $(KFLAGS) -Isrc -DFIXTURES='"tests/fixtures"' -o $@ $< $(LIB_OBJ) $(LIBS) $(shell pkg-config --libs cmocka) \
	  -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

# The hostile-input test counts the header check's comparisons.
$(BUILD)/tests/test_hostile: tests/test_hostile.c $(LIB_OBJ) | deps $(BUILD)/tests
	$(CC) $(KFLAGS) -Isrc -DFIXTURES='"tests/fixtures"' -o $@ $< $(LIB_OBJ) $(LIBS) $(shell pkg-config --libs cmocka) \
	  -Wl,--wrap=strcmp

# The fonts come from Debian's fonts-tlwg-laksaman-ttf; a user may add others.
fonts/%.ttf: | deps
	cp $(TLWG)/$*.ttf $@

# Noto Sans Thai (Debian fonts-noto-core): a modern Thai font without the
# TLWG private-use glyphs and without Latin letters (needs a fallback).
fonts/NotoSansThai-%.ttf: | deps
	cp $(NOTO)/NotoSansThai-$*.ttf $@

run: all
	@$(BUILD)/khet render --data data --out out || { s=$$?; [ $$s -ne 1 ] || \
	  $(BUILD)/khet check --data data; exit $$s; }

check-data: all
	$(BUILD)/khet check --data data

# Tools of the HarfBuzz tests (tests/cli/45-harfbuzz.sh): the ink comparison
# with a HarfBuzz + FreeType rendering, and the damaged-font maker.
$(BUILD)/tests/inkdiff: tests/inkdiff.c $(LIB_OBJ) | deps $(BUILD)/tests
	$(CC) $(KFLAGS) $(shell pkg-config --cflags freetype2) -Isrc -o $@ $< $(LIB_OBJ) $(LIBS) $(shell pkg-config --libs freetype2)
$(BUILD)/tests/mutate_font: tests/mutate_font.c | deps $(BUILD)/tests
	$(CC) $(KFLAGS) -o $@ $<

test: all $(TEST_BIN) $(BUILD)/tests/inkdiff $(BUILD)/tests/mutate_font
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t; done
	@KHET=$(BUILD)/khet BUILD_TESTS=$(BUILD)/tests bash tests/cli.sh

bench: all $(BUILD)/tests/bench_layout
	@KHET=$(BUILD)/khet BENCH=$(BUILD)/tests/bench_layout bash tests/bench.sh

# A minute of libFuzzer on the reader (needs clang; not part of make test).
fuzz: | deps
	@mkdir -p build/fuzz build/fuzz-corpus
	clang -std=c11 -D_DEFAULT_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -o build/fuzz/fuzz_reader \
	  tests/fuzz_reader.c src/reader.c src/model.c src/diag.c src/util.c src/settings.c -licuuc -lcsv -linih
	cp tests/fixtures/hospitals-*.csv data/provinces.csv build/fuzz-corpus/
	build/fuzz/fuzz_reader -max_total_time=60 -max_len=4096 build/fuzz-corpus

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SHARE)/templates $(DESTDIR)$(SHARE)/fonts
	install -m 755 $(BUILD)/khet $(DESTDIR)$(PREFIX)/bin/khet
	cp -R templates/. $(DESTDIR)$(SHARE)/templates/
	install -m 644 fonts/*.ttf $(DESTDIR)$(SHARE)/fonts/

clean:
	rm -rf build out

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
