# alibi — plain Makefile, dependencies through pkg-config.
# `make` builds ./alibi, `make check` runs every test, `make demo` opens the sample.

CC      ?= cc
PKGS    := ncursesw sqlite3 libpcre2-8 libgit2 libcjson libzip
PREFIX  ?= /usr/local
BUILD   := build
# The binary: ./alibi for the default build, BUILD/alibi for any other.
BIN     := $(if $(filter build,$(BUILD)),alibi,$(BUILD)/alibi)

WARN    := -Wall -Wextra -Wpedantic -Wshadow
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT     ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS  = $(CSTD) $(OPT) $(WARN) -Iinclude -I$(BUILD)/gen $(PKG_CFLAGS) \
              -DALIBI_PREFIX='"$(PREFIX)"' $(CFLAGS)
LDLIBS_ALL  = $(PKG_LIBS) -lm -lpthread $(LDLIBS)

LIB_SRC  := $(sort $(wildcard src/util/*.c src/store/*.c src/ingest/*.c \
                              src/analyze/*.c src/cases/*.c src/tui/*.c)) \
            $(filter-out src/cli/main.c,$(sort $(wildcard src/cli/*.c)))
GEN_SRC  := $(BUILD)/gen/default_rules.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/default_rules.o
UNIT_SRC := $(sort $(wildcard tests/unit/t_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# The sanitizer build mirrors the normal one under build/asan.
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_OBJ   := $(LIB_SRC:%.c=$(BUILD)/asan/%.o) $(BUILD)/asan/gen/default_rules.o
ASAN_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/asan-tests/%)
# And a ThreadSanitizer build of the command, under build/tsan, for the
# command-line tests that import: an import runs six threads.
TSAN_FLAGS := -O1 -g -fsanitize=thread
TSAN_OBJ   := $(LIB_SRC:%.c=$(BUILD)/tsan/%.o) $(BUILD)/tsan/gen/default_rules.o \
              $(BUILD)/tsan/src/cli/main.o
TSAN_ALIBI := $(BUILD)/tsan-bin/alibi

.PHONY: all check demo deps unit asan-unit tsan clean install bench
all: $(BIN)

$(BIN): $(BUILD)/obj/src/cli/main.o $(BUILD)/libalibi.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libalibi.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: %.c $(wildcard include/alibi/*.h src/*/*.h) | $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The default rules file is data; it is compiled into the binary as a string.
# Written as a byte array: a string literal this long is beyond what ISO C
# promises compilers support (-Woverlength-strings).
$(GEN_SRC): src/analyze/default.rules
	@mkdir -p $(dir $@)
	@{ echo '/* generated from $< by make; do not edit */'; \
	   echo 'const char alibi_default_rules[] = {'; \
	   od -An -v -tx1 $< | sed -e 's/ *\([0-9a-f][0-9a-f]\)/(char)0x\1,/g'; \
	   echo '0x00 };'; } > $@

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libalibi.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libalibi.a $(LDLIBS_ALL)

# The sanitizer trees compile alike, each with its own flags:
# $(call sanitizer_objects,DIR,FLAGS_VARIABLE) gives the rules of $(BUILD)/DIR.
define sanitizer_objects
$$(BUILD)/$(1)/%.o: %.c $$(wildcard include/alibi/*.h src/*/*.h) | $$(GEN_SRC)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CSTD) $$($(2)) $$(WARN) -Iinclude -I$$(BUILD)/gen $$(PKG_CFLAGS) -DALIBI_PREFIX='"$$(PREFIX)"' -c -o $$@ $$<

$$(BUILD)/$(1)/gen/%.o: $$(BUILD)/gen/%.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CSTD) $$($(2)) $$(WARN) -Iinclude -c -o $$@ $$<
endef
$(eval $(call sanitizer_objects,asan,ASAN_FLAGS))
$(eval $(call sanitizer_objects,tsan,TSAN_FLAGS))

$(BUILD)/libalibi-asan.a: $(ASAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/asan-tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libalibi-asan.a
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(ASAN_FLAGS) $(WARN) -Iinclude -Itests/unit $(PKG_CFLAGS) -o $@ $< $(BUILD)/libalibi-asan.a $(LDLIBS_ALL)

# The command itself under the sanitizers, for the command-line and UI
# tests: imports run several threads, which the unit tests only partly reach.
ASAN_ALIBI := $(BUILD)/asan-bin/alibi
$(ASAN_ALIBI): $(BUILD)/asan/src/cli/main.o $(BUILD)/libalibi-asan.a
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS_ALL)

$(TSAN_ALIBI): $(TSAN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(TSAN_FLAGS) -o $@ $^ $(LDLIBS_ALL)

unit: $(UNIT_BIN)
asan-unit: $(ASAN_BIN) $(ASAN_ALIBI)
tsan: $(TSAN_ALIBI)

# `make bench`: the benchmark table (bench/README.md); BENCH_FULL=1 adds 10M lines.
bench:
	@sh bench/run.sh

# `make check`: unit tests, command-line tests, UI tests, then all of them
# again under ASan + UBSan, and the command-line tests under ThreadSanitizer.
# tests/run prints the closing `N passed, N failed`.
check: deps
	@$(MAKE) --no-print-directory $(BIN) unit asan-unit tsan
	@BUILD=$(BUILD) ALIBI=$(abspath $(BIN)) sh tests/run

# Installs what the build needs when pkg-config cannot find it (Debian).
DEBS := build-essential pkg-config libncursesw5-dev libsqlite3-dev libpcre2-dev libgit2-dev libcjson-dev libzip-dev

deps:
	@if ! command -v cc >/dev/null 2>&1 || ! pkg-config --exists $(PKGS) 2>/dev/null; then \
	    echo "alibi: installing build dependencies: $(DEBS)"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBS) >/dev/null || exit 1; \
	fi

# A throwaway workspace, the bundled incident imported, the console opened.
demo: deps
	@$(MAKE) --no-print-directory alibi
	@ws=$$(mktemp -d); trap 'rm -rf "$$ws"' EXIT; \
	 ./alibi --db "$$ws/demo.db" sample-logs/peer-preservation

install: alibi
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	           $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/alibi/themes
	install -m 755 alibi $(DESTDIR)$(PREFIX)/bin/alibi
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/alibi/themes/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/

clean:
	rm -rf $(BUILD) $(BIN)
