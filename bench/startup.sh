#!/bin/sh
# Start-up: process start -> first 200 from /api/health, into an empty STORAGE_DIR each time (so the SQLite
# migrations run; one row restarts on the storage of the start before), for the start command with and without its
# class-data-sharing archive.
#
#   bench/startup.sh [runs [JAVA_OPTS...]]   (default 5 runs; needs target/polydebate.jar: mvn -B -DskipTests package)
#
# The jar and bin/polydebate are copied to a fresh directory first, as a deployment does, so the first start there
# records the archive (timed separately). Rows:
#   java -jar            the former start command (java $JAVA_OPTS -jar target/polydebate.jar), JVM defaults
#   launcher, no archive bin/polydebate with its memory defaults, the JDK's own CDS archive only
#   launcher, archive    bin/polydebate as documented, archive present
#   ... restart          the same, on the storage directory of the start before (database migrated, SQLite's
#                        native library kept there): a restart or redeploy with the same volume
#   then one row per further argument: bin/polydebate with that JAVA_OPTS (its archive recorded by the first run)
# Each run prints the load average at its start; re-run on a quiet machine for clean figures.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
[ $# -gt 0 ] && shift
[ -f target/polydebate.jar ] || { echo "target/polydebate.jar missing: mvn -B -DskipTests package" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/polydebate-startup.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/app"
cp target/polydebate.jar bin/polydebate "$work/app/"
java=$(command -v java)
jdk_archive=$(dirname "$(dirname "$(readlink -f "$java")")")/lib/server/classes.jsa
port=$(( 20000 + $$ % 20000 ))
restart=false

now_ms() {
    date +%s%3N
}

# CPU time (user + system) a process has used so far, in ms: less sensitive to other load than wall time.
cpu_ms() {
    awk '{print ($14 + $15) * 10}' "/proc/$1/stat"
}

# start_once <label> <JAVA_OPTS> <command...>: prints "label wall-ms cpu-ms load-average"
start_once() {
    label=$1 opts=$2
    shift 2
    $restart || rm -rf "$work/storage"
    load=$(cut -d ' ' -f 1-3 /proc/loadavg)
    t0=$(now_ms)
    env JAVA_OPTS="$opts" PORT=$port HOST=127.0.0.1 STORAGE_DIR="$work/storage" LOG_LEVEL=WARN \
        "$@" >"$work/server.log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/api/health"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "server exited:" >&2
            cat "$work/server.log" >&2
            exit 1
        fi
        sleep 0.01
    done
    t1=$(now_ms)
    cpu=$(cpu_ms "$pid")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$label $((t1 - t0)) $cpu $load"
}

median() {
    printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

series() {
    label=$1
    shift
    times= cpus= loads=
    # One start first, not counted: it records the archive for new options and warms the page cache.
    start_once "$label" "$@" >/dev/null
    for _ in $(seq "$runs"); do
        line=$(start_once "$label" "$@")
        times="$times $(echo "$line" | awk '{print $(NF-4)}')"
        cpus="$cpus $(echo "$line" | awk '{print $(NF-3)}')"
        loads="$loads $(echo "$line" | awk '{print $(NF-2)}')"
    done
    printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$(echo $times | sed 's/ /, /g')" "$(median $times)" \
        "$(echo $cpus | sed 's/ /, /g')" "$(median $cpus)" "$(echo $loads | sed 's/ /, /g')"
}

echo "java $(java -version 2>&1 | head -1), $(nproc) cores, load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
cd "$work"
first=$(start_once "first-start" "" "$work/app/polydebate")
echo "first start of the copied jar (records the archive, then starts from it): $(echo "$first" | awk '{print $2}') ms (load average $(echo "$first" | cut -d ' ' -f 4-))"
echo "| start command | start -> healthy, ms | median | server CPU, ms | median | 1-min load average at each start |"
echo "|---|---|---|---|---|---|"
series "java -jar" "" "$java" -jar "$work/app/polydebate.jar"
series "launcher, no archive" "-XX:SharedArchiveFile=$jdk_archive" "$work/app/polydebate"
series "launcher, archive" "" "$work/app/polydebate"
restart=true
series "launcher, archive, restart" "" "$work/app/polydebate"
restart=false
for opts in "$@"; do
    series "launcher, archive, JAVA_OPTS=$opts" "$opts" "$work/app/polydebate"
done
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
