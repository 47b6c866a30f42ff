# reach — find people who need social assistance but have not asked for it.
#
#   make                 build ./reach
#   make check           build and run every test (installs missing packages as root)
#   make demo            run the whole pipeline on the built-in sample county
#   make install PREFIX=/usr/local DESTDIR=
#   make check SANITIZE=1   the same, on a build with AddressSanitizer and UBSan
#   make check VALGRIND=1   unit tests and part of the command tests under valgrind
#   make fuzz            libFuzzer targets (clang); scripts/fuzz runs them

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
DATADIR   = $(PREFIX)/share/reach

CC       ?= cc
CFLAGS   ?= -O3 -g
PKGS      = sqlite3 libxxhash
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lsqlite3 -lxxhash)
JQ_LIBS    := $(shell pkg-config --libs libjq 2>/dev/null || echo -ljq)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
	     -Ilib -Icmd -Ibuild $(PKG_CFLAGS) -DREACH_VERSION='"$(VERSION)"' \
	     -DREACH_DATADIR='"$(DATADIR)"' $(CFLAGS)
LIBS      = $(PKG_LIBS) $(JQ_LIBS) -lcsv -lm

# Each configuration builds in a directory of its own (O), so that turning
# a flag on or off never links objects built the other way.  The plain
# build is build/ and ./reach; the sanitized one build/san/ and
# build/san/reach, which the tests then find first on PATH.
SAN_FLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	     -fno-omit-frame-pointer
ifeq ($(SANITIZE),1)
O          = build/san
ALL_CFLAGS += $(SAN_FLAGS)
LDFLAGS    += $(SAN_FLAGS)
BIN        = $(O)/reach
else
O          = build
BIN        = reach
endif

LIB_SRC   = $(wildcard lib/*.c)
CMD_SRC   = $(wildcard cmd/*.c)
GEN_SRC   = build/profiles.c build/rules.c build/routes.c $(if $(wildcard scripts/gen-hanzi),build/hanzi_tables.c)
LIB_OBJ   = $(LIB_SRC:%.c=$(O)/%.o) $(GEN_SRC:build/%.c=$(O)/gen/%.o)
CMD_OBJ   = $(CMD_SRC:%.c=$(O)/%.o)
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
# The fuzz targets, also built with cc and a main() of our own that
# replays tests/fuzz/regress and the corpus as ordinary tests.
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz_*.c)
REPLAY_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(O)/tests/%)
PROFILES  = $(wildcard share/reach/profiles/*.profile)
RULES     = share/reach/rules/default.rules share/reach/rules/prelude.jq
ROUTES    = $(wildcard share/reach/routes/*.routes)
MAN_PAGES = $(wildcard man/*.[1-8])
UNIHAN    = /usr/share/unicode/Unihan_Readings.txt.bz2 /usr/share/unicode/Unihan_Variants.txt.bz2

.PHONY: all check check-bins demo install clean deps fuzz
ifeq ($(O),build)
all: reach $(if $(wildcard scripts/gen-county.c),build/gen-county)
else
# the tools the tests use (gen-county) come from the plain build
all: $(BIN)
	@$(MAKE) --no-print-directory SANITIZE= all
endif

# Missing headers or tools: scripts/deps installs them as root, or says how.
build/.deps: scripts/deps
	@scripts/deps
	@mkdir -p build && touch $@

$(O)/%.o: %.c lib/*.h cmd/*.h | build/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# generated sources live in build/ and compile with the same flags
$(O)/gen/%.o: build/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/hanzi_tables.c: scripts/gen-hanzi | build/.deps
	@mkdir -p build
	scripts/gen-hanzi $(UNIHAN) > $@.tmp && mv $@.tmp $@

build/profiles.c: scripts/gen-embed $(PROFILES)
	@mkdir -p build
	scripts/gen-embed builtin_profiles $(PROFILES) > $@.tmp && mv $@.tmp $@

build/rules.c: scripts/gen-embed $(RULES)
	@mkdir -p build
	scripts/gen-embed builtin_rules $(RULES) > $@.tmp && mv $@.tmp $@

build/routes.c: scripts/gen-embed $(ROUTES)
	@mkdir -p build
	scripts/gen-embed builtin_routes $(ROUTES) > $@.tmp && mv $@.tmp $@

$(O)/libreach.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(CMD_OBJ) $(O)/libreach.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) $(O)/libreach.a $(LIBS)
ifneq ($(O),build)
	@# reach help finds the manual beside the binary
	@ln -sfn ../../man $(O)/man
endif

build/gen-county: scripts/gen-county.c build/libreach.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< build/libreach.a $(LIBS)

$(O)/tests/%: tests/unit/%.c $(O)/libreach.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libreach.a $(LIBS) -lcmocka

$(O)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
    $(O)/libreach.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
	    $(O)/libreach.a $(LIBS)

# Plain make check (CI) runs every test on the plain build, then again on
# the sanitized one (SAN_BATS: the command tests to repeat, all when
# empty), all within one summary line: about 3 minutes on 2 cores.
# SANITIZE=1 runs them on the sanitized build only; VALGRIND=1 runs the
# unit tests and the command tests VG_BATS under valgrind (tests/run).
SAN_BATS  =
VG_BATS   = reach badinput faults flag
TESTBINS  = $(UNIT_BIN) $(REPLAY_BIN)
check: all $(BIN) $(TESTBINS)
ifeq ($(VALGRIND),1)
	@VALGRIND=1 BATS_ONLY="$(VG_BATS)" tests/run $(TESTBINS)
else ifeq ($(O),build)
	@$(MAKE) --no-print-directory SANITIZE=1 check-bins
	@SAN_DIR=$(CURDIR)/build/san SAN_BATS="$(SAN_BATS)" tests/run $(TESTBINS)
else
	@REACH_BIN_DIR=$(CURDIR)/$(O) tests/run $(TESTBINS)
endif

check-bins: $(BIN) $(TESTBINS)

# libFuzzer targets: clang, in build/fuzz; scripts/fuzz runs them.
FUZZ_CC    = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	     -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_OBJ   = $(LIB_SRC:%.c=build/fuzz/%.o) $(GEN_SRC:build/%.c=build/fuzz/gen/%.o)
FUZZ_BIN   = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
fuzz: $(FUZZ_BIN)

build/fuzz/.deps: scripts/deps
	@FUZZ=1 scripts/deps
	@mkdir -p $(@D) && touch $@

build/fuzz/lib/%.o: lib/%.c lib/*.h | build/fuzz/.deps build/.deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -c -o $@ $<

build/fuzz/gen/%.o: build/%.c | build/fuzz/.deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -c -o $@ $<

build/fuzz/libreach.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h build/fuzz/libreach.a
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< \
	    build/fuzz/libreach.a $(LIBS)

demo: all
	@scripts/demo

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(DATADIR)/profiles $(DESTDIR)$(DATADIR)/routes \
		$(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR)/examples
	install -m 755 reach $(DESTDIR)$(BINDIR)/reach
	for m in $(MAN_PAGES); do \
		s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	install -m 644 $(PROFILES) $(DESTDIR)$(DATADIR)/profiles/
	install -m 644 $(RULES) $(DESTDIR)$(DATADIR)/rules/
	install -m 644 $(ROUTES) $(DESTDIR)$(DATADIR)/routes/
	install -m 755 scripts/monthly-scan $(DESTDIR)$(DATADIR)/examples/

clean:
	rm -rf build reach
