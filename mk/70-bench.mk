# SPDX-License-Identifier: MIT
# Benchmarks: `make bench` (tables, targets, latency plot) and
# `make bench-callgrind` (instructions per operation, small vs large
# configuration). Figures only: a benchmark never fails on slowness.
# `make test` runs only test-bench-smoke: everything builds and runs briefly.
BENCH_DIR  := $(BUILD)/bench
BENCH_OUT  := $(BENCH_DIR)/results.tsv

# bench_build(variant): the Release tree of bench/ for one configuration,
# $(BENCH_DIR)/<variant>, from its preset in bench/CMakePresets.json.
define bench_build
	@$(call preset_configure,$(1),bench)
	cmake --build $(BENCH_DIR)/$(1) -j$(JOBS) >/dev/null
endef

.PHONY: bench bench-build bench-callgrind test-bench-smoke
bench-build:
	@$(DEPS) core bench
	$(call bench_build,spin)
	$(call bench_build,nospin)
	$(call bench_build,cache)

BENCH_ROUNDS ?= 4
# bench/run.sh starts RouDi for the iceoryx rows (stress-ng too with
# --load), and removes whatever the run leaves in /dev/shm and /tmp, also
# when interrupted.
bench: bench-build
	@rm -rf $(BENCH_OUT) $(BENCH_OUT).samples
	@{ echo "Machine: $$(lscpu | sed -n 's/^Model name: *//p' | head -1), $$(nproc) CPUs," \
	    "Linux $$(uname -r), $$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"');" \
	    "load average at start: $$(cut -d' ' -f1-3 /proc/loadavg)"; } | tee $(BENCH_DIR)/machine.txt
	@# Interleaved rounds: a change in the machine's load hits every row alike.
	@bench/run.sh sh -c 'set -e; for r in $$(seq $(BENCH_ROUNDS)); do echo "==== round $$r of $(BENCH_ROUNDS)"; \
	  $(BENCH_DIR)/spin/shmbox-bench --variant spin --peers --scenarios abcde --rounds $(BENCH_ROUNDS) --out $(BENCH_OUT); \
	  $(BENCH_DIR)/nospin/shmbox-bench --variant nospin --scenarios abcd --rounds $(BENCH_ROUNDS) --out $(BENCH_OUT); \
	  $(BENCH_DIR)/cache/shmbox-bench --variant cache --peers --scenarios e --rounds $(BENCH_ROUNDS) --out $(BENCH_OUT); \
	done'
	@{ cat $(BENCH_DIR)/machine.txt; echo; \
	   $(BENCH_DIR)/spin/shmbox-bench-report $(BENCH_OUT) --plot-data $(BENCH_DIR)/latency.dat; } \
	  | tee $(BENCH_DIR)/report.md
	@gnuplot -e "data='$(BENCH_DIR)/latency.dat'; out='$(BENCH_DIR)/latency.png'; subtitle='$$(cat $(BENCH_DIR)/machine.txt | cut -d';' -f1)'" \
	  bench/latency.gp
	@echo "Wrote $(BENCH_DIR)/report.md and $(BENCH_DIR)/latency.png"

# Round trips with both CPUs loaded by stress-ng, with normal scheduling
# and with both processes at SCHED_FIFO (root): the tails that matter to a
# real-time user. Figures only.
BENCH_LOAD_OUT := $(BENCH_DIR)/load.tsv
BENCH_LOAD_ROUNDS ?= 2
.PHONY: bench-load
bench-load: bench-build
	@rm -rf $(BENCH_LOAD_OUT) $(BENCH_LOAD_OUT).samples
	@{ echo "Machine: $$(lscpu | sed -n 's/^Model name: *//p' | head -1), $$(nproc) CPUs," \
	    "Linux $$(uname -r); load average before the stressors: $$(cut -d' ' -f1-3 /proc/loadavg)"; } \
	  | tee $(BENCH_DIR)/machine-load.txt
	@bench/run.sh --load sh -c 'set -e; for r in $$(seq $(BENCH_LOAD_ROUNDS)); do \
	  echo "==== round $$r of $(BENCH_LOAD_ROUNDS)"; for sched in normal fifo; do \
	  $(BENCH_DIR)/spin/shmbox-bench --variant spin --peers --load $$sched --rounds $(BENCH_LOAD_ROUNDS) --out $(BENCH_LOAD_OUT); \
	  $(BENCH_DIR)/nospin/shmbox-bench --variant nospin --load $$sched --rounds $(BENCH_LOAD_ROUNDS) --out $(BENCH_LOAD_OUT); \
	done; done'
	@{ cat $(BENCH_DIR)/machine-load.txt; echo; $(BENCH_DIR)/spin/shmbox-bench-report $(BENCH_LOAD_OUT); } \
	  | tee $(BENCH_DIR)/report-load.md
	@echo "Wrote $(BENCH_DIR)/report-load.md"

# Instructions per operation under callgrind: deterministic, whatever the load.
BENCH_CG_N := 20000
BENCH_PATHS_SEED ?= 1
BENCH_PATHS_EPISODES ?= 30
bench-callgrind:
	@$(DEPS) core bench
	$(call bench_build,cg-small)
	$(call bench_build,cg-large)
	@set -e; for cfg in cg-small cg-large; do for op in alloc mbox; do \
	  fn=$$( [ $$op = alloc ] && echo bench_loop_alloc_free || echo bench_loop_send_recv ); \
	  valgrind --tool=callgrind --toggle-collect=$$fn \
	    --callgrind-out-file=$(BENCH_DIR)/$$cfg.$$op.callgrind \
	    $(BENCH_DIR)/$$cfg/shmbox-bench-ops $$op $(BENCH_CG_N) 2>$(BENCH_DIR)/$$cfg.$$op.log || \
	    { cat $(BENCH_DIR)/$$cfg.$$op.log; exit 1; }; \
	done; done
	@{ echo "| operation | 16 slots / depth 4 | 65,536 slots / depth 4096 | difference |"; \
	   echo "| --- | ---: | ---: | ---: |"; \
	   for op in alloc mbox; do \
	     s=$$(sed -n 's/^totals: *//p' $(BENCH_DIR)/cg-small.$$op.callgrind); \
	     l=$$(sed -n 's/^totals: *//p' $(BENCH_DIR)/cg-large.$$op.callgrind); \
	     name=$$( [ $$op = alloc ] && echo "slot alloc + free" || echo "send + recv (64 B)" ); \
	     awk -v s=$$s -v l=$$l -v n=$(BENCH_CG_N) -v name="$$name" 'BEGIN { \
	       d = (l - s) / s * 100; if (d < 0) d = -d; \
	       printf "| %s | %.1f instr/op | %.1f instr/op | %.2f%% (%s) |\n", name, s / n, l / n, d, d < 2 ? "< 2%: met" : ">= 2%: not met" }'; \
	   done; } | tee $(BENCH_DIR)/callgrind.md
	@# Every single call of a randomized workload (shmbox-bench-paths): its longest path.
	@set -e; for cfg in cg-small cg-large; do rm -f $(BENCH_DIR)/$$cfg.paths.*; \
	  LD_BIND_NOW=1 valgrind --tool=callgrind --combine-dumps=yes --callgrind-out-file=$(BENCH_DIR)/$$cfg.paths.%p \
	    $(BENCH_DIR)/$$cfg/shmbox-bench-paths $(BENCH_PATHS_SEED) $(BENCH_PATHS_EPISODES) 2>$(BENCH_DIR)/$$cfg.paths.log || \
	    { cat $(BENCH_DIR)/$$cfg.paths.log; exit 1; }; \
	  awk '/^desc: Trigger: Client Request: / { name = $$5 } \
	       /^summary: / && name != "" { print name, $$2; name = "" }' $(BENCH_DIR)/$$cfg.paths.[0-9]* \
	    > $(BENCH_DIR)/$$cfg.paths.txt; rm -f $(BENCH_DIR)/$$cfg.paths.[0-9]*; done
	@{ echo; echo "Longest path of each call (instructions) over a randomized workload (seed $(BENCH_PATHS_SEED)," \
	     "$(BENCH_PATHS_EPISODES) episodes): pools and mailboxes full, empty and half full, calls that succeed" \
	     "and calls that are refused; +wake: the call wakes a process asleep in the region."; echo; \
	   echo "| call | calls (small) | max, 16 slots / depth 4 | mean | calls (large) | max, 65,536 slots / depth 4096 | mean | max difference |"; \
	   echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"; \
	   awk 'FNR == 1 { f++ } { k = $$1; if (f == 1) { sn[k]++; ss[k] += $$2; if ($$2 > sm[k]) sm[k] = $$2 } \
	          else { ln[k]++; ls[k] += $$2; if ($$2 > lm[k]) lm[k] = $$2 } } \
	        END { for (k in sn) { d = sm[k] && lm[k] ? (lm[k] - sm[k]) / sm[k] * 100 : 0; if (d < 0) d = -d; \
	          printf "| %s | %d | %d | %.1f | %d | %d | %.1f | %.2f%% (%s) |\n", k, sn[k], sm[k], ss[k] / sn[k], \
	            ln[k], lm[k], ln[k] ? ls[k] / ln[k] : 0, d, d < 2 ? "< 2%: met" : ">= 2%: not met" } }' \
	     $(BENCH_DIR)/cg-small.paths.txt $(BENCH_DIR)/cg-large.paths.txt | sort; } | tee -a $(BENCH_DIR)/callgrind.md

# In `make test`: the suite builds and every scenario runs with 1/100 of
# the iterations (no figures worth reading; proves the programs work).
TEST_STEPS += test-bench-smoke
test-bench-smoke:
	@$(DEPS) core bench
	$(call bench_build,spin)
	@rm -rf $(BENCH_DIR)/smoke.tsv $(BENCH_DIR)/smoke.tsv.samples
	bench/run.sh $(BENCH_DIR)/spin/shmbox-bench --variant spin --peers --quick --out $(BENCH_DIR)/smoke.tsv
	$(BENCH_DIR)/spin/shmbox-bench-report $(BENCH_DIR)/smoke.tsv >/dev/null
