#!/bin/sh
# Memory and throughput under wrk (com.polydebate.bench.MemoryBenchmark): idle RSS, wrk on health, the market list,
# a market and a debate read, RSS right after and 60 s later, for the former start command (java -jar, JVM
# defaults) and the documented one (bin/polydebate, its memory defaults), alternating, in rounds.
#
#   bench/memory.sh [rounds [launch|JAVA_OPTS ...]]
#
# rounds: how many times each configuration runs (default 1). Further arguments replace the two default
# configurations: "jar|" (java -jar, no options), "launcher|" (bin/polydebate defaults), or e.g.
# "launcher|-XX:+UseG1GC -XX:G1PeriodicGCInterval=15000". Needs wrk (apt-get install -y wrk) and the packaged jar
# (mvn -B -DskipTests package). Prints one table row per run, with the 1-minute load average before and after.
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-1}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- "jar|" "launcher|"
[ -f target/polydebate.jar ] || { echo "target/polydebate.jar missing: mvn -B -DskipTests package" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
mvn -q -B test-compile

rows=$(mktemp)
log=$(mktemp)
trap 'rm -f "$rows" "$log"' EXIT
for round in $(seq "$rounds"); do
    for config in "$@"; do
        launch=${config%%|*}
        opts=${config#*|}
        echo "round $round: $launch, JAVA_OPTS=\"$opts\"" >&2
        mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.polydebate.bench.MemoryBenchmark \
            -Dbench.launch="$launch" -Dbench.javaOpts="$opts" -Dbench.logLevel="${LOG_LEVEL:-INFO}" \
            | tee "$log" >&2
        sed -n 's/^SUMMARY //p' "$log" >>"$rows"
    done
done
echo
echo "| start | JAVA_OPTS | start -> healthy s | idle RSS MiB | RSS after the load MiB | RSS 60 s later MiB | req/s health / list / market / debate | server CPU µs/req, same order | load average after |"
echo "|---|---|---|---|---|---|---|---|---|"
cat "$rows"
