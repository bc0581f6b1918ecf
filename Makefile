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

PKGS    := harfbuzz icu-uc icu-i18n inih jansson libcmark xlsxwriter libqpdf sqlite3 libcrypto libssl fontconfig cmocka libmicrohttpd libzip libargon2 libxml-2.0
CFLAGS  ?= -O2 -g
# Recursively expanded on purpose: pkg-config runs after `deps` has installed it.
KFLAGS   = -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -MMD -MP $(SANFLAGS) \
           $(shell pkg-config --cflags $(PKGS)) -DKHET_SHARE='"$(SHARE)"' $(CFLAGS)
LIBS     = $(shell pkg-config --libs harfbuzz harfbuzz-subset icu-uc icu-i18n inih jansson libcmark xlsxwriter libqpdf sqlite3 libcrypto libssl fontconfig libthai datrie-0.2 libmicrohttpd libzip libargon2 libxml-2.0) -lhpdf -lcsv -lgmp -lm -lpthread

LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
# libdeflate compresses the PDF streams (pdf_stream.c)
LIBS    += -ldeflate
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
FONTS    := fonts/Laksaman.ttf fonts/Laksaman-Bold.ttf fonts/NotoSansThai-Regular.ttf fonts/NotoSansThai-Bold.ttf
TLWG     := /usr/share/fonts/truetype/tlwg
NOTO     := /usr/share/fonts/truetype/noto

.PHONY: all deps fuzz-deps run serve test test-valgrind bench fuzz install clean check-data mutate readback FORCE
all: $(BUILD)/khet $(BUILD)/khet-full $(BUILD)/thbrk.words $(FONTS)

deps:
	@WITH_VALGRIND=$(VALGRIND) sh .ci/deps

fuzz-deps:
	@WITH_FUZZ=1 sh .ci/deps

$(BUILD) $(BUILD)/tests:
	@mkdir -p $@

$(BUILD)/%.o: src/%.c | deps $(BUILD)
	$(CC) $(KFLAGS) -c -o $@ $<

# cli.o embeds KHET_SHARE (PREFIX/share/khet): a stamp holding its value is
# rewritten only when PREFIX changes, so `make install PREFIX=...` rebuilds it.
$(BUILD)/share.stamp: FORCE | $(BUILD)
	@echo '$(SHARE)' | cmp -s - $@ || echo '$(SHARE)' > $@
$(BUILD)/cli.o: $(BUILD)/share.stamp
FORCE:

# Two binaries (issue 25): khet-full holds every module; khet, the one the
# user runs, leaves out those that need qpdf, SQLite, OpenSSL, libmicrohttpd
# and argon2 (loading them cost about 5 ms of CPU at every start, a tenth
# of a 15-row render), and libzip, libxml2 and libxlsxwriter (which pull
# OpenSSL in again: 15 M instructions to start khet with them, 6.6 M
# without), and runs khet-full for archive, verify, history, serve, a render
# beside a ledger, data in a workbook and `score --format xlsx`
# (src/lite/lite.c).
FULL_ONLY := archive archive_extend archive_sign archive_stage audit ledger ledger_ext pdfa sign sign_appear sign_key sign_ltv sign_tsa \
             sign_verify verify anchor full \
             cmd_archive cmd_history cmd_verify \
             serve serve_api serve_auth serve_keys serve_render serve_sign serve_space serve_work \
             workbook export_xlsx
LITE_OBJ  := $(filter-out $(FULL_ONLY:%=$(BUILD)/%.o),$(LIB_OBJ)) $(BUILD)/lite.o
# The small libraries khet starts with are linked into it from their Debian
# -dev packages' static archives (the same packages, .ci/deps): each shared
# library is one more file the loader opens, maps and relocates at every
# start. Eight fewer cost about 1.5 ms of a 15-row render's ~27 ms of CPU
# (session 8, `khet --version` 4.3 -> 2.6 ms task-clock). Only those no
# other library khet loads depends on: freetype (harfbuzz's) stays shared,
# so there is one copy of each library in the process. ICU (libicu-dev's
# libicuuc.a and libicudata.a) is linked in too, with the C++ runtime it
# needs (libstdc++-12-dev's libstdc++.a, which nothing else khet loads
# uses): libstdc++.so alone made 1,666 of the loader's ~2,600 symbol
# bindings at every start. `khet --version` 4.1 M -> 1.6 M instructions,
# ~3.0 -> ~2.0 ms task-clock; a 15-row render 2.8 M instructions and ~55
# page faults less (session 9). The binary is 36 MB, ICU's data (mapped,
# read only where used, as the shared library's was). Session 8 had tried
# ICU static with libstdc++ still shared: no measurable gain.
LITE_STATIC = inih jansson cmark thai datrie csv gmp deflate icuuc icudata stdc++
LITE_LIBS  = $(shell pkg-config --libs harfbuzz fontconfig) -lhpdf -lm \
             -Wl,-Bstatic $(LITE_STATIC:%=-l%) -Wl,-Bdynamic

$(BUILD)/lite.o: src/lite/lite.c $(BUILD)/share.stamp | deps $(BUILD)
	$(CC) $(KFLAGS) -Isrc -DKHET_FULL='"$(PREFIX)/bin/khet-full"' -c -o $@ $<

$(BUILD)/khet: $(BUILD)/main.o $(LITE_OBJ)
	$(CC) $(SANFLAGS) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(LITE_LIBS)

# khet-full the same way: archive, verify, history and serve start it (after
# khet) ~280 times in a `make test`. The same small libraries but GMP (which
# GnuTLS's nettle loads shared), with argon2 and SQLite: 50 shared objects to
# map and relocate -> 41: `khet-full --version` 28.1 -> 22.2 M instructions
# (callgrind), 9.3 -> 7.5 ms task-clock on a quiet machine.
FULL_STATIC = inih jansson cmark thai datrie csv deflate argon2 sqlite3
FULL_LIBS  = $(shell pkg-config --libs harfbuzz harfbuzz-subset icu-uc icu-i18n xlsxwriter libqpdf libcrypto libssl fontconfig \
             libmicrohttpd libzip libxml-2.0) -lhpdf -lgmp -Wl,-Bstatic $(FULL_STATIC:%=-l%) -Wl,-Bdynamic -lm -ldl -lpthread

$(BUILD)/khet-full: $(BUILD)/main.o $(LIB_OBJ)
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(FULL_LIBS)

# The test programs and the tests' tools link khet's modules from an
# archive: the linker takes only the objects a program reaches (test_scoring:
# 0.30 -> 0.13 s of CPU to link; `make test` after a fresh build links 16).
# They link with gold where the compiler has it (binutils' ld.gold): a
# quarter of ld's processor time on these (test_oom 0.29 -> 0.07 s). khet and
# khet-full, the programs users run, keep the default linker.
LIB_A := $(BUILD)/libkhet.a
TEST_LD := $(shell $(CC) -fuse-ld=gold -Wl,--version >/dev/null 2>&1 && echo -fuse-ld=gold)
$(LIB_A): $(LIB_OBJ)
	@rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/tests/%: tests/%.c $(LIB_A) | deps $(BUILD)/tests
	$(CC) $(TEST_LD) $(KFLAGS) -Isrc -DFIXTURES='"tests/fixtures"' -DKHET_BUILD='"$(BUILD)"' -o $@ $< $(LIB_A) $(LIBS) $(shell pkg-config --libs cmocka)

# The allocation-failure test routes khet's own allocations through hooks.
$(BUILD)/tests/test_oom: tests/test_oom.c $(LIB_A) | deps $(BUILD)/tests
	$(CC) $(TEST_LD) $(KFLAGS) -Isrc -DFIXTURES='"tests/fixtures"' -o $@ $< $(LIB_A) $(LIBS) $(shell pkg-config --libs cmocka) \
	  -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

# The archive test fails the guard's fdopendir (memory) on request.
$(BUILD)/tests/test_archive: tests/test_archive.c $(LIB_A) | deps $(BUILD)/tests
	$(CC) $(TEST_LD) $(KFLAGS) -Isrc -DFIXTURES='"tests/fixtures"' -DKHET_BUILD='"$(BUILD)"' -o $@ $< $(LIB_A) $(LIBS) \
	  $(shell pkg-config --libs cmocka) -Wl,--wrap=fdopendir

# The hostile-input test counts the header check's comparisons.
$(BUILD)/tests/test_hostile: tests/test_hostile.c $(LIB_A) | deps $(BUILD)/tests
	$(CC) $(TEST_LD) $(KFLAGS) -Isrc -DFIXTURES='"tests/fixtures"' -o $@ $< $(LIB_A) $(LIBS) $(shell pkg-config --libs cmocka) \
	  -Wl,--wrap=strcmp

# The fault-injection test gets khet's system-call table through its own.
$(BUILD)/tests/test_faults: tests/test_faults.c $(LIB_A) | deps $(BUILD)/tests
	$(CC) $(TEST_LD) $(KFLAGS) -Isrc -DFIXTURES='"tests/fixtures"' -o $@ $< $(LIB_A) $(LIBS) $(shell pkg-config --libs cmocka) \
	  -Wl,--wrap=sysio

# libthai's dictionary as a sorted word index (src/thai_subset.c): a
# document opens only the part of the dictionary its texts reach, not all
# 25,110 words. Made again when libthai-data changes the dictionary (the
# index records the file's size and time; khet opens the whole dictionary
# when they differ).
THBRK := /usr/share/libthai/thbrk.tri
$(BUILD)/thbrk_words: src/tools/thbrk_words.c src/thai_int.h | deps $(BUILD)
	$(CC) $(KFLAGS) -o $@ $< $(shell pkg-config --libs datrie-0.2)
$(BUILD)/thbrk.words: $(BUILD)/thbrk_words $(THBRK)
	$(BUILD)/thbrk_words $(THBRK) $@.tmp && mv $@.tmp $@

# test_thai compares the cut-down dictionary with the whole one
$(BUILD)/tests/test_thai: $(BUILD)/thbrk.words

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
	@$(BUILD)/khet render --data data --out out --report booklet

# The web application on http://127.0.0.1:8470/ (Ctrl-C stops it), with the
# accounts of SERVE_USERS (the signers' keys in keys/ beside it); on the first
# run, when it has none, the browser on this computer makes the administrator's.
SERVE_USERS ?= $(HOME)/.khet/users.txt
serve: all
	@install -d -m 700 "$(dir $(SERVE_USERS))"
	@$(BUILD)/khet serve --data data --users "$(SERVE_USERS)" $(SERVE_ARGS)

check-data: all
	$(BUILD)/khet check --data data

# Tools of the HarfBuzz tests (tests/cli/45-harfbuzz.sh): the ink comparison
# with a HarfBuzz + FreeType rendering, and the damaged-font maker.
$(BUILD)/tests/inkdiff: tests/inkdiff.c $(LIB_A) | deps $(BUILD)/tests
	$(CC) $(TEST_LD) $(KFLAGS) $(shell pkg-config --cflags freetype2) -Isrc -o $@ $< $(LIB_A) $(LIBS) $(shell pkg-config --libs freetype2)
# The sample data as an Excel workbook written by libxlsxwriter (tests/cli/86-xlsx.sh).
$(BUILD)/tests/xlsx_write: tests/xlsx_write.c $(LIB_A) | deps $(BUILD)/tests
	$(CC) $(TEST_LD) $(KFLAGS) -Isrc -o $@ $< $(LIB_A) $(LIBS)
# The band decisions of src/zband.c on regions from stdin (tests/zband_sweep.py).
$(BUILD)/tests/zband_cases: tests/zband_cases.c $(LIB_A) | deps $(BUILD)/tests
	$(CC) $(TEST_LD) $(KFLAGS) -Isrc -o $@ $< $(LIB_A) $(LIBS)
$(BUILD)/tests/mutate_font: tests/mutate_font.c | deps $(BUILD)/tests
	$(CC) $(KFLAGS) -o $@ $<

# `make test VALGRIND=1`: every test binary and every khet the CLI suite runs
# go through valgrind (memcheck: any error or definite leak fails the test).
# The allocation- and I/O-failure loops then fail every 25th and 3rd point
# only, and the hang guards of the CLI suite allow 20 times longer.
ifeq ($(VALGRIND),1)
VG      := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
           --show-leak-kinds=definite --track-fds=no --suppressions=$(CURDIR)/tests/valgrind.supp
VG_ENV  := KHET_OOM_STEP=25 KHET_FAULTS_STEP=3 KHET_SLOW=20
VG_KHET := $(BUILD)/khet-valgrind
endif

# (into khet-full too, when khet runs it; not into the system's programs)
$(BUILD)/khet-valgrind: $(BUILD)/khet $(BUILD)/khet-full
	printf '#!/bin/sh\nexec %s --trace-children=yes --trace-children-skip="/bin/*,/usr/*" "%s" "$$@"\n' '$(VG)' \
	  "$$(cd $(BUILD) && pwd)/khet" > $@
	chmod +x $@

# `make test` runs each test program and each tests/cli/NN-*.sh file as a job
# of its own (run-NAME), one more at once than there are cores unless make was
# given -j itself (a job that waits on a sleep, a server or a kill timing then
# leaves no core idle), the longest first; each job's output is kept in
# $(BUILD)/results and shown whole when it fails; tests/summary.sh then checks
# that every job passed and every CLI file ran its plan, and prints the totals.
# The failure sweeps sample: every 97th allocation of the whole run
# (test_oom) and every 23rd I/O call (test_faults). FULL=1 (`make check-all`)
# fails every one of them and runs the CLI files' slow sweeps (KHET_FULL=1).
NPROC      := $(shell nproc 2>/dev/null || echo 2)
TEST_JOBS  := $(shell echo $$(($(NPROC) + 1)))
RESULTS    := $(BUILD)/results
TEST_PROGS := $(notdir $(TEST_BIN))
CLI_NAMES  := $(patsubst tests/cli/%.sh,cli-%,$(wildcard tests/cli/*.sh))
# (the longest first, by processor time on a quiet machine, and those that
# wait (sleeps, a server, kill timings), whose wall time is longer still)
TEST_SLOW  := cli-56-inspector cli-60-archive cli-75-properties cli-92-attacks cli-64-filing-hostile cli-45-documents \
              cli-45-harfbuzz cli-46-booklet cli-65-final-draft cli-93-signoff cli-90-serve cli-62-insider cli-74-extend \
              cli-25-figures cli-30-render cli-41-readback cli-43-national cli-86-xlsx cli-48-summary-scorecard \
              cli-91-browser test_faults cli-35-hostile cli-82-region cli-80-layout-rules cli-66-signers \
              cli-49-page-hygiene test_oom
RUN_SLOW   := $(foreach t,$(TEST_SLOW),$(filter run-$(t),$(TEST_PROGS:%=run-%) $(CLI_NAMES:%=run-%)))
RUN_JOBS   := $(RUN_SLOW) $(filter-out $(RUN_SLOW),$(CLI_NAMES:%=run-%) $(TEST_PROGS:%=run-%))
ifeq ($(FULL),1)
SWEEP_ENV  := KHET_OOM_STEP=1 KHET_FAULTS_STEP=1 KHET_FULL=1
else
SWEEP_ENV  := KHET_OOM_STEP=97 KHET_FAULTS_STEP=23
endif
# time a job: $(call job,NAME,COMMAND) keeps the log, the exit status and the seconds
# and the processor time of all it ran (the shell's `times`: a figure that does
# not depend on how busy the machine was), "WALL CPU" in RESULTS/NAME.time
job = s=$$(date +%s%N); $(2) >$(RESULTS)/$(1).log 2>&1; rc=$$?; echo $$rc >$(RESULTS)/$(1).rc; \
      t=$$((($$(date +%s%N) - s) / 100000000)); \
      times >$(RESULTS)/$(1).cpu; \
      cpu=$$(awk 'NR == 2 { split($$1, u, /[ms]/); split($$2, y, /[ms]/); printf "%.1f", u[1] * 60 + u[2] + y[1] * 60 + y[2] }' $(RESULTS)/$(1).cpu); \
      echo "$$((t / 10)).$$((t % 10)) $$cpu" >$(RESULTS)/$(1).time; \
      if [ $$rc = 0 ]; then echo "ok   $(1) ($$((t / 10)).$$((t % 10)) s, cpu $$cpu s)"; \
      else echo "FAIL $(1) (exit $$rc, $$((t / 10)).$$((t % 10)) s, cpu $$cpu s):"; cat $(RESULTS)/$(1).log; fi

# The test scripts need only Python's standard library: they run Debian's
# python3 (.ci/deps), not a version manager's shim that comes first on PATH
# (pyenv's is a shell script: a tenth of a second of processor time a call),
# and without the site module (-S: no .pth files and site-packages to scan,
# a third of an empty script's start; make test starts python ~360 times),
# through a static program that execs it (tests/pylaunch.c: a `#!/bin/sh`
# script's shell cost 7 ms of processor time a start on a slow machine).
PYBIN      := $(BUILD)/pybin
TEST_PATH  := $(if $(wildcard /usr/bin/python3),$(CURDIR)/$(PYBIN):)$(PATH)
$(PYBIN)/python3: tests/pylaunch.c | deps $(BUILD)
	@mkdir -p $(@D) && rm -f $@ && $(CC) -std=c11 -Wall -Wextra -Werror -O2 -static -o $@.tmp $< && mv $@.tmp $@

# The test keys and certificates (tests/keys.sh), made once, not every run.
TEST_KEYS  := $(patsubst %,$(BUILD)/tests/keys/%.key,signer rogue other tls)
$(BUILD)/tests/keys/%.key: tests/keys.sh | $(BUILD)/tests
	@mkdir -p $(@D) && bash tests/keys.sh $* $@ $(@:.key=.pem)
# the per-signer tests' PKI (root, issuing CA, signers: tests/keys.sh pki)
TEST_KEYS  += $(BUILD)/tests/pki/.made
$(BUILD)/tests/pki/.made: tests/keys.sh | $(BUILD)/tests
	@rm -rf $(@D) && bash tests/keys.sh pki $(@D) && touch $@

.PHONY: test-jobs check-all $(RUN_JOBS)
test:
	@rm -rf $(RESULTS); mkdir -p $(RESULTS); date +%s%N >$(RESULTS)/start
	@+$(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j$(TEST_JOBS)) test-jobs

test-jobs: $(RUN_JOBS)
	@bash tests/summary.sh $(RESULTS) "$(TEST_PROGS)" "$(CLI_NAMES)"

$(RESULTS):
	@mkdir -p $@

$(TEST_PROGS:%=run-%): run-%: $(BUILD)/tests/% all | $(RESULTS)
	@$(call job,$*,$(SWEEP_ENV) $(VG_ENV) $(VG) $<)

# a CLI file runs without this make's flags (75-properties runs make itself)
$(CLI_NAMES:%=run-%): run-cli-%: tests/cli/%.sh all $(VG_KHET) $(BUILD)/tests/inkdiff $(BUILD)/tests/mutate_font \
                       $(BUILD)/tests/zband_cases $(BUILD)/tests/xlsx_write $(PYBIN)/python3 $(TEST_KEYS) | $(RESULTS)
	@$(call job,cli-$*,env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL PATH="$(TEST_PATH)" $(SWEEP_ENV) $(VG_ENV) \
	  KHET=$(if $(VG_KHET),$(VG_KHET),$(BUILD)/khet) BUILD_TESTS=$(BUILD)/tests CLI_RESULT=$(RESULTS)/cli-$*.res \
	  bash tests/cli.sh $<)

# Everything `make test` leaves out for time, as CI runs it: the whole suite
# under ASan/UBSan with every allocation and I/O call failed in turn and the
# slow sweeps, the test programs under valgrind, and each fuzz target 20 s.
# (`make test VALGRIND=1` runs the CLI suite under valgrind too: an hour.)
check-all:
	@+$(MAKE) --no-print-directory test SANITIZE=1 FULL=1
	@+$(MAKE) --no-print-directory test-valgrind VALGRIND=1
	@+$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(or $(CHECK_FUZZ_TIME),20)

# the test programs alone under valgrind (part of check-all)
test-valgrind:
	@rm -rf $(RESULTS); mkdir -p $(RESULTS); date +%s%N >$(RESULTS)/start
	@+$(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC)) $(TEST_PROGS:%=run-%)
	@bash tests/summary.sh $(RESULTS) "$(TEST_PROGS)" ""

# The floor of the bench: khet's work done alone, linked with nothing else.
$(BUILD)/tests/bench_floor: tests/bench_floor.c | deps $(BUILD)/tests
	$(CC) $(KFLAGS) -o $@ $< -ldeflate $(shell pkg-config --libs libthai)

# ReportLab is the bench's peer (../shared/bench), not something khet needs:
# installed for `make bench` only, never in .ci/deps.
bench-deps:
	@/usr/bin/python3 -c 'import reportlab' 2>/dev/null || { $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq \
	  python3-reportlab || echo "make bench: python3-reportlab not installed: the ReportLab rows are left out"; }

bench: all bench-deps $(BUILD)/tests/bench_layout $(BUILD)/tests/bench_run $(BUILD)/tests/bench_floor
	@KHET=$(BUILD)/khet BENCH=$(BUILD)/tests/bench_layout RUN=$(BUILD)/tests/bench_run \
	  FLOOR=$(BUILD)/tests/bench_floor bash tests/bench.sh

# Issue 27's read-back sweep (tests/readback.sh: the 52 items, 3,039 mark
# combinations and 3,168 syllables in every Thai family Debian ships, regular
# and bold, read back in poppler, MuPDF and pdf.js) and the seeds' prose at
# every width from 40 to 160 mm (tests/prose_sweep.py). make check-all runs
# both through tests/cli/41-readback.sh (KHET_FULL=1); make test a sample.
readback: all
	@KHET=$(BUILD)/khet bash tests/readback.sh
	@python3 tests/prose_sweep.py --khet $(BUILD)/khet

# Mutation testing (slow; not part of make test): plants one operator or
# constant change at a time in the money-moving and page-breaking code and
# reports how many the tests catch. MUTATE_ARGS="--sample 100 --seed 7" etc.
mutate: | deps
	@python3 tests/mutate.py $(MUTATE_ARGS)

# libFuzzer targets (tests/fuzz/fuzz_*.c, clang from Debian): each runs
# FUZZ_TIME seconds on its seed corpus tests/fuzz/corpus/NAME (new inputs go to
# build/fuzz/work-NAME, the seeds stay as committed). `make fuzz` runs them for
# 5 minutes each; CI for 20 s each (`make fuzz FUZZ_TIME=20`). The runs and
# executions of each target are printed at the end.
FUZZ_TIME ?= 300
FUZZ_TARGETS := csv scheme template thai cell signoff ledger
# inputs up to 8 KiB, a ledger up to 32 KiB (its seed: a one-round ledger in 512-byte pages)
FUZZ_CC    := clang
FUZZ_FLAGS  = -std=c11 -D_DEFAULT_SOURCE -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all $(shell pkg-config --cflags $(PKGS)) -DKHET_SHARE='"$(SHARE)"'
FUZZ_OBJ   := $(LIB_SRC:src/%.c=build/fuzz/obj/%.o)

build/fuzz/obj/%.o: src/%.c | fuzz-deps
	@mkdir -p build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) | fuzz-deps
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(FUZZ_OBJ) $(LIBS)

fuzz: all $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/work-$$t; \
	  echo "== fuzz $$t ($(FUZZ_TIME) s)"; \
	  build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) -max_len=$$([ $$t = ledger ] && echo 32768 || echo 8192) \
	    -timeout=20 -rss_limit_mb=2048 \
	    -artifact_prefix=build/fuzz/crash-$$t- -print_final_stats=1 \
	    $$([ -f tests/fuzz/$$t.dict ] && echo -dict=tests/fuzz/$$t.dict) \
	    build/fuzz/work-$$t tests/fuzz/corpus/$$t > build/fuzz/log-$$t 2>&1 || { tail -50 build/fuzz/log-$$t; exit 1; }; \
	  echo "fuzz $$t: $$(grep -o 'stat::number_of_executed_units: *[0-9]*' build/fuzz/log-$$t | grep -o '[0-9]*$$') executions clean"; \
	done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SHARE)/templates $(DESTDIR)$(SHARE)/fonts
	install -m 755 $(BUILD)/khet $(DESTDIR)$(PREFIX)/bin/khet
	install -m 755 $(BUILD)/khet-full $(DESTDIR)$(PREFIX)/bin/khet-full
	cp -R templates/. $(DESTDIR)$(SHARE)/templates/
	install -m 644 fonts/*.ttf $(DESTDIR)$(SHARE)/fonts/
	install -m 644 $(BUILD)/thbrk.words $(DESTDIR)$(SHARE)/thbrk.words
	install -d $(DESTDIR)$(SHARE)/web
	install -m 644 src/web/* $(DESTDIR)$(SHARE)/web/

clean:
	rm -rf build out

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
