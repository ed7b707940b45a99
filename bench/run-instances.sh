#!/usr/bin/env bash
# Runs the issue-12 benchmarks (PostgreSQL and several instances) one after the other and writes everything they
# print, with the load average before each, to target/bench-instances-<UTC time>.txt. From the repository root:
#
#   bench/run-instances.sh            # the full run documented in docs/benchmarks.md
#   QUICK=1 bench/run-instances.sh    # a short run to check that every benchmark works
#
# Needs wrk (apt-get install -y wrk) and a PostgreSQL: BENCH_POSTGRES, else POLYDEBATE_TEST_DATABASE_URL, else
# postgresql://postgres@127.0.0.1:5432/test. Each part's arguments can be overridden: HTTP_ARGS, WALL_ARGS,
# INSTANCES_ARGS, FAILOVER_ARGS (see each main's Javadoc for their meaning).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${QUICK:-0}" == 1 ]]; then
  HTTP_ARGS=${HTTP_ARGS:-"50 3 1 2 1"}
  WALL_ARGS=${WALL_ARGS:-"1 800 400 0"}
  INSTANCES_ARGS=${INSTANCES_ARGS:-"1 3 100 200 100"}
  FAILOVER_ARGS=${FAILOVER_ARGS:-"4 1 3 800 400"}
else
  HTTP_ARGS=${HTTP_ARGS:-"50 10 5 2 2"}
  WALL_ARGS=${WALL_ARGS:-"6 800 400 1"}
  INSTANCES_ARGS=${INSTANCES_ARGS:-"5 10 1000 200 100"}
  FAILOVER_ARGS=${FAILOVER_ARGS:-"15,4 3 3 800 400"}
fi
POSTGRES=${BENCH_POSTGRES:-${POLYDEBATE_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}}
OUT=target/bench-instances-$(date -u +%Y%m%dT%H%M%SZ).txt

mvn -B -ntp -q -Dstyle.color=never test-compile
mkdir -p target
{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, $(java -version 2>&1 | head -1)"
} | tee "$OUT"

run() {
  local main=$1 args=$2
  echo | tee -a "$OUT"
  echo "## $main $args (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT"
  mvn -B -ntp -q -o -Dstyle.color=never exec:java -Dexec.classpathScope=test -Dexec.mainClass="com.polydebate.bench.$main" \
      -Dexec.args="$args" -Dbench.postgres="$POSTGRES" | sed -u 's/\x1b\[[0-9;]*m//g' | tee -a "$OUT" \
      || echo "$main failed" | tee -a "$OUT"
}

run DatabaseHttpBenchmark "$HTTP_ARGS"
run DebateWallClockBenchmark "$WALL_ARGS"
run TwoInstancesBenchmark "$INSTANCES_ARGS"
run FailoverBenchmark "$FAILOVER_ARGS"
echo | tee -a "$OUT"
echo "written to $OUT"
