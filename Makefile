# mydocker in C: every chapter, final, tests, grading, starters.
# `make help` lists the targets.

CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
LDLIBS  ?=
PREFIX  ?= /usr/local
# The runtimes are linked statically: a run starts without the dynamic
# loader's work, and a -d container's monitor stays under 1 MiB resident
# (make bench shows both). STATIC= links them dynamically.
STATIC  ?= -static
# Warnings are errors here and in CI: every generated chapter must build clean.
WARN     = -std=gnu11 -Wall -Wextra -Werror
CPPFLAGS += -D_GNU_SOURCE -Icommon

# Every chapter final/ knows about, in order. Only the ones present are built.
ALL_CHAPTERS := ch01-namespaces ch02-cgroups ch03-rootfs-pivot ch04-overlay ch05-volumes ch06-detach-logs ch07-exec-setns ch08-network ch09-commit
CHAPTERS     := $(filter $(ALL_CHAPTERS),$(patsubst %/,%,$(wildcard ch[0-9][0-9]-*/)))
short         = $(firstword $(subst -, ,$(1)))
# ch02 -> ch02-cgroups
long          = $(firstword $(filter $(1)-%,$(ALL_CHAPTERS) $(CHAPTERS)))

# What the tests run beside the runtime (tools/grade.sh builds them too).
TEST_TOOLS := tools/grade-init tools/enosys tools/probe tools/ptydrive tools/mktar

# What steers a grading run (tools/grade.sh): also when given as make SEED=...
export SEED FILES FILTER

COMMON  := $(wildcard common/*.c)
COMMONH := $(wildcard common/*.h)

.PHONY: all help final compdb chapters check-chapters diff starter test test-v2 test-shared mutants unit grade install clean deps check-deps shell discriminate image bench asan faults fuzz valgrind soak \
	$(ALL_CHAPTERS) $(foreach c,$(ALL_CHAPTERS),$(call short,$(c)))

all: $(foreach c,$(CHAPTERS),$(c)/run) $(if $(wildcard final/main.c),final/run)

help:
	@echo "make chNN | chNN-name   build one chapter: ./chNN/run"
	@echo "make final              build the complete runtime: final/run"
	@echo "make compdb             compile_commands.json for clangd and other tools"
	@echo "make test               unit tests + every chapter's cumulative bats tests (root)"
	@echo "make test-v2 [CH=chNN]  a chapter's grading (default: final) on pure cgroup v2, in a VM (root)"
	@echo "make unit               cmocka unit tests only (final's, then each chapter's on its own code)"
	@echo "make grade CH=chNN [RUN=binary] [EXTRA=dir]   points per test and Score: x/y"
	@echo "make mutants [CH=chNN]  every plausible wrong solution in tests/mutants must lose points (root)"
	@echo "make diff CH=chNN       what chapter NN adds to the one before"
	@echo "make starter CH=chNN DEST=dir   a lab skeleton with chapter NN's code stubbed"
	@echo "make chapters | check-chapters   regenerate chNN-*/ from final/ | fail on drift"
	@echo "make install [PREFIX=/usr/local] [DESTDIR=]   mydocker, mydocker(1), its bash completion"
	@echo "make deps               install what is missing (Debian/Ubuntu, as root); test and grade only check"
	@echo "make shell              deps + final, then a shell in a new container (root)"
	@echo "make image              make the busybox image under \$$MYDOCKER_ROOT (root)"
	@echo "make asan [FILES=...]   final's grading with final under ASan and UBSan (root)"
	@echo "make fuzz [FUZZ_SECONDS=60]   every parser's libFuzzer harness, from its corpus"
	@echo "make valgrind           memcheck of ps, images, network ls (root)"
	@echo "make faults [FAULT_TRIES=50]  kill -9 of run, run -d, the monitor, commit, exec, network create (root)"
	@echo "make soak [SOAK_SECONDS=600]  churn of 50 containers a round: no growth in fds, memory, mounts, rules, state (root)"
	@echo "make bench [SECTIONS='start network scale curve commit ipam']   what each chapter costs (root)"

# ---- building --------------------------------------------------------------

# A program's sources: main.c and one folder per concern (ARCHITECTURE.md).
# (final/helper/ is a program of its own: below.)
sources = $(filter-out $(1)/helper/%,$(wildcard $(1)/*.c $(1)/*/*.c))
headers = $(filter-out $(1)/helper/%,$(wildcard $(1)/*.h $(1)/*/*.h))
# final/ compiles as it stands: what later chapters replace is kept there in
# "//- " comments, which only the chapters before get back (tools/markers.h).
# final's defences link libseccomp, libcap and json-c (statically too: the
# start path stays without the dynamic loader); the chapters link nothing.
LIBS_final := -lseccomp -lcap -ljson-c
# `mydocker --version` names the commit final/run was built from.
BUILD ?= $(shell git -C $(dir $(lastword $(MAKEFILE_LIST))) describe --always --dirty 2>/dev/null || echo unknown)
CPPFLAGS_final = -DMYDOCKER_BUILD='"$(BUILD)"'
define program_rules
$(1)/run: $(call sources,$(1)) $(call headers,$(1)) $(COMMON) $(COMMONH)
	$$(CC) $$(CPPFLAGS) $$(CPPFLAGS_$(1)) -I$(1) $$(WARN) $$(CFLAGS) -o $$@ $(call sources,$(1)) $(COMMON) $$(STATIC) $$(LDFLAGS) $$(LIBS_$(1)) $$(LDLIBS)
endef
$(foreach c,$(CHAPTERS) $(if $(wildcard final/main.c),final),$(eval $(call program_rules,$(c))))
$(foreach c,$(CHAPTERS),$(eval $(c) $(call short,$(c)): $(c)/run))
final: final/run
# Whatever builds final/run (test, grade, bench...) builds its helper too.
final/run: | final/mydocker-image

# What final/run does with image archives, linked apart: libarchive is
# linked dynamically (Debian's static one needs libxml2's and others' that
# Debian does not ship), and final/run runs it only for image work, never
# to start a container (final/image/helper.c finds it beside itself, or in
# ../libexec/mydocker/ once installed).
HELPER_LIBS := -larchive
final/mydocker-image: $(wildcard final/helper/*.c final/helper/*.h) common/error.c $(COMMONH)
	$(CC) $(CPPFLAGS) -Ifinal/helper $(WARN) $(CFLAGS) -o $@ $(wildcard final/helper/*.c) common/error.c $(LDFLAGS) $(HELPER_LIBS) $(LDLIBS)

# compile_commands.json for clangd and other tools: final/, common/ and the
# unit tests, each file with the command that builds it.
compdb:
	@{ echo "["; sep=""; \
	for f in $(call sources,final) $(COMMON); do \
		printf '%s{"directory": "%s", "file": "%s", "arguments": ["%s"' "$$sep" "$(CURDIR)" "$$f" "$(CC)"; \
		for a in $(CPPFLAGS) -Ifinal $(WARN) $(CFLAGS) -c $$f; do printf ', "%s"' "$$a"; done; \
		echo "]}"; sep=","; \
	done; \
	for f in $(wildcard tests/unit/test_*.c); do \
		printf '%s{"directory": "%s", "file": "%s", "arguments": ["%s"' "$$sep" "$(CURDIR)" "$$f" "$(CC)"; \
		for a in $(CPPFLAGS) -I$(UNIT_DIR) -Itests/unit -Itools $(WARN) $(CFLAGS) -c $$f; do printf ', "%s"' "$$a"; done; \
		echo "]}"; \
	done; echo "]"; } >compile_commands.json && echo "compile_commands.json: $$(grep -c '"file"' compile_commands.json) files"

tools/chapter: tools/chapter.c tools/markers.c tools/markers.h
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -o $@ tools/chapter.c tools/markers.c

# ---- generated chapters ----------------------------------------------------

# chNN-name/ from final/, plus the chNN symlink the book's readers type.
chapters: tools/chapter
	@for c in $(ALL_CHAPTERS); do \
		n=$${c#ch}; n=$${n%%-*}; \
		tools/chapter $$n final $$c || exit 1; \
		ln -sfn $$c $${c%%-*}; \
	done

check-chapters: tools/chapter
	@tmp=$$(mktemp -d); rc=0; \
	for c in $(ALL_CHAPTERS); do \
		n=$${c#ch}; n=$${n%%-*}; \
		tools/chapter $$n final $$tmp/$$c || rc=1; \
		diff -r -x README.md -x run $$tmp/$$c $$c || { echo "$$c differs from what final/ generates: run make chapters"; rc=1; }; \
		[ "$$(readlink $${c%%-*})" = "$$c" ] || { echo "missing symlink $${c%%-*} -> $$c"; rc=1; }; \
	done; rm -rf $$tmp; \
	[ $$rc = 0 ] && echo "chapters match final/"; exit $$rc

diff:
	@test -n "$(CH)" || { echo "usage: make diff CH=chNN"; exit 2; }
	@cur=$(call long,$(CH)); prev=""; \
	for c in $(ALL_CHAPTERS); do [ "$$c" = "$$cur" ] && break; prev=$$c; done; \
	test -n "$$cur" || { echo "no chapter $(CH)"; exit 2; }; \
	empty=$$(mktemp -d); trap 'rmdir "$$empty"' EXIT; \
	diff -ruN -x README.md -x run $${prev:-$$empty} $$cur; test $$? -le 1

starter: tools/chapter
	@test -n "$(CH)" -a -n "$(DEST)" || { echo "usage: make starter CH=chNN DEST=dir"; exit 2; }
	@c=$(call long,$(CH)); test -n "$$c" || { echo "no chapter $(CH)"; exit 2; }; \
	n=$${c#ch}; n=$${n%%-*}; \
	mkdir -p $(DEST) && cp -r Makefile common tools tests $(DEST)/ && \
	rm -f $(DEST)/tools/chapter $(DEST)/tools/grade-init $(DEST)/tools/enosys $(DEST)/tools/probe $(DEST)/tools/ptydrive $(DEST)/tools/bench $(DEST)/tools/bench_ipam && \
	rm -rf $(DEST)/tests/mutants $(DEST)/tools/mutants.sh $(DEST)/tools/unit-chapters.sh $(DEST)/tests/unit && \
	tools/chapter $$n tests/unit $(DEST)/tests/unit && \
	tools/chapter --starter $$n final $(DEST)/$$c && cp $$c/README.md $(DEST)/$$c/ && \
	title=$$(sed -n '1s/^# Chapter [0-9]*: //p' $$c/README.md) && \
	if [ $$n = 01 ]; then done="It starts from the helpers in common/ alone."; \
	elif [ $$n = 02 ]; then done="Chapter 1 is done: its code is here and works."; \
	else done="Chapters 1 to $$(expr $$n - 1) are done: their code is here and works."; fi && \
	sed -e "s|@TITLE@|$$title|g" -e "s|@N@|$$(expr $$n + 0)|g" -e "s|@DONE@|$$done|g" -e "s|@CH@|$${c%%-*}|g" \
	    -e "s|@LONG@|$$c|g" tools/starter-README.md >$(DEST)/README.md && \
	rm -f $(DEST)/tools/starter-README.md $(DEST)/tools/lab-steps.sh && \
	ln -sfn $$c $(DEST)/$${c%%-*} && \
	echo "starter for $$c in $(DEST): build with 'make $${c%%-*}', grade with 'make grade CH=$${c%%-*}'"

# ---- tests -----------------------------------------------------------------

# The unit tests link the code they test from final/, or in a starter from
# its chapter (the student's code); a test whose sources the chapter does
# not have yet is left out. Test files carry chapter markers too: what a
# later chapter adds to a test is not built for an earlier chapter.
UNIT_DIR  := $(if $(wildcard final/main.c),final,$(lastword $(CHAPTERS)))
# Where the test sources are, and their binaries go: tests/unit, or one
# chapter's cut of them (tools/unit-chapters.sh).
UNIT_TESTDIR := tests/unit
U := $(UNIT_DIR)
src_test_cgroup  := $(U)/cgroup/cgroup.c
src_test_volume  := $(U)/fs/volume.c
# A record holds a container's network, and a network names its users' records.
src_test_record  := $(addprefix $(U)/,container/record.c container/process.c cgroup/cgroup.c image/image.c \
	container/env.c net/endpoint.c net/ports.c net/ipam.c net/network.c net/netdev.c net/netlink.c \
	net/firewall.c fs/volume.c) $(wildcard $(U)/container/claims.c)
src_test_network := $(src_test_record)
src_test_ipam    := $(U)/net/ipam.c $(U)/image/image.c
src_test_image   := $(U)/image/image.c $(U)/image/layer.c
src_test_netlink := $(U)/net/netlink.c
src_test_markers := tools/markers.c
src_test_security := $(addprefix $(U)/,security/security.c security/caps.c security/seccomp_profile.c security/devices.c)
libs_test_security := $(LIBS_final)
src_test_devices := $(U)/security/devices.c
unit_src = $(src_$(notdir $(1)))
UNIT_TESTS := $(foreach t,$(patsubst %.c,%,$(wildcard $(UNIT_TESTDIR)/test_*.c)),\
	$(if $(filter-out $(wildcard $(call unit_src,$(t))),$(call unit_src,$(t))),,$(t)))
.SECONDEXPANSION:
$(UNIT_TESTDIR)/%: $(UNIT_TESTDIR)/%.c $$(call unit_src,$$@) $(call headers,$(U)) tools/markers.h $(COMMON) $(COMMONH)
	$(CC) $(CPPFLAGS) -I$(U) -I$(UNIT_TESTDIR) -Itools $(WARN) $(CFLAGS) -o $@ $< $(call unit_src,$@) $(COMMON) $(LDFLAGS) $(libs_$(notdir $@)) -lcmocka

# final's unit tests; in the repository also each chapter's own, against
# its own code, as its starter runs them.
unit: check-deps $(UNIT_TESTS) $(if $(wildcard final/main.c),tools/chapter)
	@rc=0; for t in $(UNIT_TESTS); do $$t || rc=1; done; \
	if [ -f final/main.c ] && [ "$(UNIT_TESTDIR)" = tests/unit ]; then tools/unit-chapters.sh $(CHAPTERS) || rc=1; fi; exit $$rc

# Each chapter against its own and every earlier chapter's tests, then final.
# (The benchmark tools are built too, so that CI compiles them; a starter
# has no final/ for bench_ipam.)
test: check-deps unit all $(TEST_TOOLS) tools/bench $(if $(wildcard final/main.c),tools/bench_ipam)
	@tools/test.sh $(CHAPTERS) $(if $(wildcard final/main.c),final)

grade: check-deps $(TEST_TOOLS)
	@test -n "$(CH)" || { echo "usage: make grade CH=chNN [RUN=binary]"; exit 2; }
	@c=$(call long,$(CH)); test -n "$$c" || { echo "no chapter $(CH)"; exit 2; }; \
	run="$(RUN)"; if [ -z "$$run" ]; then $(MAKE) -s $$c/run && run=$$c/run; fi; \
	tools/grade.sh "$$run" $$c $(EXTRA)

deps:
	@tools/deps.sh
check-deps:
	@tools/deps.sh --check

# PID 1 of a grading run's own PID namespace (tools/grade.sh), and a
# system call made to fail with ENOSYS, as on an older kernel, and a user
# at a terminal of a pty (the tests).
tools/grade-init tools/enosys tools/ptydrive: %: %.c
	$(CC) $(WARN) $(CFLAGS) -o $@ $<
# Archives with exactly the members a test names, hostile ones too (libarchive).
tools/mktar: tools/mktar.c
	$(CC) $(WARN) $(CFLAGS) -o $@ $< -larchive
# Escape attempts from inside a container (tests/final.bats): static, for any image.
tools/probe: tools/probe.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -static -o $@ $<

# One chapter's grading (default: final, all its tests) on a pure cgroup v2
# kernel, in a QEMU VM: built here, run there. FILES="ch02 ch06" picks test files.
test-v2: check-deps $(TEST_TOOLS)
	@c=$(if $(CH),$(call long,$(CH)),final); test -n "$$c" || { echo "no chapter $(CH)"; exit 2; }; \
	$(MAKE) -s $$c/run && tools/v2vm.sh -- tools/grade.sh $$c/run $$c

# The same grading while a neighbour's containers run on this host: full
# marks, and the neighbour's containers untouched.
test-shared: check-deps $(TEST_TOOLS)
	@c=$(if $(CH),$(call long,$(CH)),final); test -n "$$c" || { echo "no chapter $(CH)"; exit 2; }; \
	$(MAKE) -s final/run $$c/run && tools/shared-host.sh $$c/run $$c

# The default image, made from the host's static busybox (run makes it on first use too).
image: deps final/run
	./final/run run --rm busybox true

# The quick start: build what is missing and open a shell in a container.
shell: deps final/run
	./final/run run -it --rm

# Each chapter's tests reject the wrong solutions in tests/mutants/chNN.
mutants: check-deps tools/chapter $(TEST_TOOLS)
	@test -x tools/mutants.sh || { echo "mutants: not in a starter (they are patches of final/)"; exit 2; }
	@tools/mutants.sh $(if $(filter final,$(CH)),final,$(if $(CH),$(call short,$(call long,$(CH)))))

# CI: the chapters match final/, and each chapter's tests need its work.
discriminate: check-deps tools/chapter $(TEST_TOOLS)
	@tools/discriminate.sh $(CHAPTERS)

# ---- memory safety and faults ---------------------------------------------

# final under AddressSanitizer and UndefinedBehaviorSanitizer: dynamically
# linked (the sanitizers' runtimes are), every undefined behaviour fatal.
SANITIZE := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
.build/asan/run: $(call sources,final) $(call headers,final) $(COMMON) $(COMMONH)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ifinal $(WARN) $(SANITIZE) -o $@ $(call sources,final) $(COMMON) $(LDFLAGS) $(LIBS_final) $(LDLIBS)

# final's grading with that build (FILES= picks test files): no report from any of its processes.
# Its helper too, beside it, where final/run looks first.
.build/asan/mydocker-image: $(wildcard final/helper/*.c final/helper/*.h) common/error.c $(COMMONH)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ifinal/helper $(WARN) $(SANITIZE) -o $@ $(wildcard final/helper/*.c) common/error.c $(LDFLAGS) $(HELPER_LIBS) $(LDLIBS)

asan: check-deps .build/asan/run .build/asan/mydocker-image $(TEST_TOOLS)
	@tools/asan.sh

# Every parser's libFuzzer harness (tests/fuzz), FUZZ_SECONDS each (default 60).
fuzz:
	@tools/deps.sh --check --extra && tools/fuzz.sh

# memcheck of the commands valgrind can run (tools/valgrind.sh says which, and why).
valgrind: final/run
	@tools/deps.sh --check --extra && tools/valgrind.sh

# final-robust.bats's kill -9 tests with FAULT_TRIES kills of each kind (default 50).
faults: check-deps final/run $(TEST_TOOLS)
	@FAULT_TRIES=$${FAULT_TRIES:-50} FILES=final-robust FILTER="kill -9" tools/grade.sh final/run final

# Rounds of 50 containers started, exec'd into, stopped and removed for
# SOAK_SECONDS (default 600): what the host holds must not grow.
soak: check-deps final/run
	@tools/soak.sh

# ---- benchmarks ------------------------------------------------------------

# What each chapter costs, beside crun, runc and the floors: figures, never a test.
bench: deps all tools/bench tools/bench_ipam
	@tools/bench.sh $(SECTIONS)

tools/bench: tools/bench.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -o $@ $<
# The IPAM code as run uses it, timed call by call.
tools/bench_ipam: tools/bench_ipam.c final/net/ipam.c final/image/image.c $(COMMON) $(COMMONH)
	$(CC) $(CPPFLAGS) -Ifinal $(WARN) $(CFLAGS) -o $@ $< final/net/ipam.c final/image/image.c $(COMMON) $(LDFLAGS) $(LDLIBS)

# ---- install and clean -----------------------------------------------------

# The runtime, its man page and its bash completion, where man and bash look.
install: final/run final/mydocker-image
	install -D -m 0755 final/run $(DESTDIR)$(PREFIX)/bin/mydocker
	install -D -m 0755 final/mydocker-image $(DESTDIR)$(PREFIX)/libexec/mydocker/mydocker-image
	install -D -m 0644 final/mydocker.1 $(DESTDIR)$(PREFIX)/share/man/man1/mydocker.1
	install -D -m 0644 final/mydocker.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mydocker

clean:
	rm -rf final/run final/mydocker-image tools/chapter $(TEST_TOOLS) tools/bench tools/bench_ipam compile_commands.json .build $(UNIT_TESTS) $(foreach c,$(ALL_CHAPTERS),$(c)/run)
