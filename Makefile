# reach — find people who need social assistance but have not asked for it.
#
#   make                 build ./reach
#   make check           build and run every test (installs missing packages as root)
#   make demo            run the whole pipeline on the built-in sample county
#   make install PREFIX=/usr/local DESTDIR=
#   make check SANITIZE=1   with AddressSanitizer and UBSan

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
DATADIR   = $(PREFIX)/share/reach

CC       ?= cc
CFLAGS   ?= -O2 -g
PKGS      = sqlite3 libxxhash
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lsqlite3 -lxxhash)
JQ_LIBS    := $(shell pkg-config --libs libjq 2>/dev/null || echo -ljq)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
	     -Ilib -Icmd -Ibuild $(PKG_CFLAGS) -DREACH_VERSION='"$(VERSION)"' \
	     -DREACH_DATADIR='"$(DATADIR)"' $(CFLAGS)
LIBS      = $(PKG_LIBS) $(JQ_LIBS) -lcsv -lm

ifeq ($(SANITIZE),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS    += -fsanitize=address,undefined
endif

LIB_SRC   = $(wildcard lib/*.c)
CMD_SRC   = $(wildcard cmd/*.c)
GEN_SRC   = build/profiles.c build/rules.c build/routes.c $(if $(wildcard scripts/gen-hanzi),build/hanzi_tables.c)
LIB_OBJ   = $(LIB_SRC:%.c=build/%.o) $(GEN_SRC:.c=.o)
CMD_OBJ   = $(CMD_SRC:%.c=build/%.o)
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=build/tests/%)
PROFILES  = $(wildcard share/reach/profiles/*.profile)
RULES     = share/reach/rules/default.rules share/reach/rules/prelude.jq
ROUTES    = $(wildcard share/reach/routes/*.routes)
MAN_PAGES = $(wildcard man/*.[1-8])
UNIHAN    = /usr/share/unicode/Unihan_Readings.txt.bz2 /usr/share/unicode/Unihan_Variants.txt.bz2

.PHONY: all check demo install clean deps
all: reach $(if $(wildcard scripts/gen-county.c),build/gen-county)

# Missing headers or tools: scripts/deps installs them as root, or says how.
build/.deps: scripts/deps
	@scripts/deps
	@mkdir -p build && touch $@

build/%.o: %.c lib/*.h cmd/*.h | build/.deps
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

build/libreach.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

reach: $(CMD_OBJ) build/libreach.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) build/libreach.a $(LIBS)

build/gen-county: scripts/gen-county.c build/libreach.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< build/libreach.a $(LIBS)

build/tests/%: tests/unit/%.c build/libreach.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< build/libreach.a $(LIBS) -lcmocka

check: all $(UNIT_BIN)
	@tests/run $(UNIT_BIN)

demo: all
	@scripts/demo

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(DATADIR)/profiles $(DESTDIR)$(DATADIR)/routes \
		$(DESTDIR)$(DATADIR)/rules
	install -m 755 reach $(DESTDIR)$(BINDIR)/reach
	for m in $(MAN_PAGES); do \
		s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	install -m 644 $(PROFILES) $(DESTDIR)$(DATADIR)/profiles/
	install -m 644 $(RULES) $(DESTDIR)$(DATADIR)/rules/
	install -m 644 $(ROUTES) $(DESTDIR)$(DATADIR)/routes/

clean:
	rm -rf build reach

# generated sources live in build/ and compile with the same flags
build/%.o: build/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
