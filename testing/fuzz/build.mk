# Builds the fuzz targets.  Run by scripts/fuzz from the top of the source tree,
# which passes the source lists it read from the Automake fragments (so that
# files others add to the simulator or the module are picked up):
#
#   make -f testing/fuzz/build.mk O=DIR ENGINE=libfuzzer|standalone FUZZ_CC=clang \
#        TARGETS='adac h7_ob ...' adac_SRCS='...' h7_ob_SRCS='...' h5_ob_SRCS='...' \
#        rbb_SRCS='...' scenario_SRCS='...'
#
# ENGINE=libfuzzer: clang's libFuzzer (-fsanitize=fuzzer); standalone: the
# driver in standalone_main.c, for compilers without libFuzzer.  Either way
# with AddressSanitizer and UndefinedBehaviorSanitizer, aborting on the first
# report.  Objects live under O/ENGINE/obj with their header dependencies.
# The objects also depend on this file and the coverage ignore list.

O ?= build-fuzz
ENGINE ?= libfuzzer
FUZZ_CC ?= clang
TARGETS ?= adac h7_ob h5_ob rbb scenario

WARNINGS = -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# -iquote: src/target/poll.h must not hide the system <poll.h>.
FUZZ_CPPFLAGS = -iquote testing/fuzz -iquote src/target -iquote src/flash/nor -iquote testing/sim
FUZZ_LIBS = -lcrypto -lm

# fuzz_rbb's input reaches register values one bit per byte (JTAG), so tracing
# comparisons cannot guide its mutations, and it makes every clock edge several
# times slower: its objects are built without it, in their own directory.
NOCMP_TARGETS = rbb

OBJDIR = $(O)/$(ENGINE)/obj
ifeq ($(ENGINE),libfuzzer)
ENGINE_CFLAGS = -fsanitize=fuzzer-no-link -fsanitize-coverage-ignorelist=testing/fuzz/coverage-ignore.txt
NOCMP_CFLAGS = -fno-sanitize-coverage=trace-cmp
ENGINE_LDFLAGS = -fsanitize=fuzzer
ENGINE_OBJS =
else
ENGINE_CFLAGS =
NOCMP_CFLAGS =
ENGINE_LDFLAGS =
ENGINE_OBJS = $(OBJDIR)/testing/fuzz/standalone_main.o
endif

objdir_of = $(OBJDIR)$(if $(filter $(1),$(NOCMP_TARGETS)),-nocmp)
objs = $(patsubst %.c,$(2)/%.o,$(filter %.c,$(1)))
COMPILE = $(FUZZ_CC) $(FUZZ_CPPFLAGS) -g -O1 $(WARNINGS) $(SANITIZE) $(ENGINE_CFLAGS)

all: $(foreach t,$(TARGETS),$(O)/$(ENGINE)/fuzz_$(t))

$(OBJDIR)/%.o: %.c testing/fuzz/build.mk testing/fuzz/coverage-ignore.txt
	@mkdir -p $(@D)
	$(COMPILE) -MMD -MP -c $< -o $@

$(OBJDIR)-nocmp/%.o: %.c testing/fuzz/build.mk testing/fuzz/coverage-ignore.txt
	@mkdir -p $(@D)
	$(COMPILE) $(NOCMP_CFLAGS) -MMD -MP -c $< -o $@

# fuzz_<target>: its own file plus the sources scripts/fuzz found for it.
define fuzz_target
$(O)/$(ENGINE)/fuzz_$(1): $(call objs,testing/fuzz/fuzz_$(1).c $($(1)_SRCS),$(call objdir_of,$(1))) $(ENGINE_OBJS)
	$(FUZZ_CC) $(SANITIZE) $(ENGINE_LDFLAGS) $$^ -o $$@ $(FUZZ_LIBS)
endef
$(foreach t,$(TARGETS),$(eval $(call fuzz_target,$(t))))

-include $(shell find $(OBJDIR) $(OBJDIR)-nocmp -name '*.d' 2>/dev/null)

.PHONY: all
