#!/usr/bin/env bash
# Runs the issue-16 benchmarks (performance on two cores) one after the other and writes a table of the figures the
# issue asks for, plus everything each benchmark printed, to target/bench-issue16-<UTC time>.md. From the repository
# root, after "mvn -B -DskipTests package":
#
#   bench/run-issue16.sh            # the full run
#   QUICK=1 bench/run-issue16.sh    # a short run to check that every part works
#
# Needs wrk (apt-get install -y wrk), curl and a PostgreSQL for the database parts: BENCH_POSTGRES, else
# POLYDEBATE_TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/test. Each part records the 1-minute
# load average before it ran: figures taken on a busy machine say so.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${QUICK:-0}" == 1 ]]; then
  SECONDS_PER=3 WALL_RUNS=1 STARTS=1 VIEWERS=200 MEMORY_ROUNDS=1
else
  SECONDS_PER=10 WALL_RUNS=5 STARTS=5 VIEWERS=1000 MEMORY_ROUNDS=1
fi
POSTGRES=${BENCH_POSTGRES:-${POLYDEBATE_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=target/bench-issue16-$STAMP.md
RAW=target/bench-issue16-$STAMP.log

[[ -f target/polydebate.jar ]] || { echo "target/polydebate.jar missing: mvn -B -DskipTests package" >&2; exit 1; }
mvn -B -ntp -q -Dstyle.color=never test-compile
mvn -B -ntp -q -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
CP="target/test-classes:target/classes:$(cat target/cp.txt)"

load() { cut -d' ' -f1 /proc/loadavg; }
rows=()

# part <name> <command...>: runs one benchmark, appends its output to the raw log and its row to the table.
part() {
  local name=$1
  shift
  part_load=$(load)
  echo "## $name (load average before: $part_load)" | tee -a "$RAW"
  local status=ok
  "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' | tee -a "$RAW" || status=FAILED
  echo | tee -a "$RAW"
  rows+=("| $name | $part_load | $(load) | $status |")
}

bench() {
  java -Dbench.postgres="$POSTGRES" -cp "$CP" "$@"
}

# §2 and §6: server CPU per request under wrk at 50 and 1,000 connections, on both databases.
for db in sqlite postgresql; do
  part "Request CPU, $db" bench com.polydebate.bench.RequestCpuBenchmark "$db" 50,1000 "$SECONDS_PER"
done

# §3 and issue 15: fan-out to N viewers.
# The server runs inside the benchmark's JVM: started with the launcher's options and malloc arenas, so that its
# memory per viewer is the deployment's.
part "Fan-out, $VIEWERS viewers" env MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" \
  java $(bin/polydebate --print-java-options) -cp "$CP" com.polydebate.debates.FanOutBenchmark "$VIEWERS" 30

# §5: debate wall-clock against the pipelined bound.
part "Debate wall-clock" bench com.polydebate.bench.DebateWallClockBenchmark "$WALL_RUNS" 800 400 1 independent

# §4: start -> healthy with and without the class-data-sharing archive.
part "Start-up" bash bench/startup.sh "$STARTS"

# §1: RSS and throughput under wrk, JVM defaults against the launcher's.
part "Memory" bash bench/memory.sh "$MEMORY_ROUNDS"

{
  echo "# Issue 16 benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores"
  echo
  echo "Every part's own tables follow (the issue's figures: server CPU per request and throughput at 50 and 1,000"
  echo "connections; fan-out spread, memory per viewer and delta latency; debate wall-clock against its bound;"
  echo "start -> healthy with and without the archive; RSS and throughput under wrk)."
  echo
  echo "| part | load average before | after | result |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  cat "$RAW"
} >"$OUT"
echo "written to $OUT"
