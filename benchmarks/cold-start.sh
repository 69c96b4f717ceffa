#!/usr/bin/env bash
# Cold start of the command line, each run a fresh JVM: `--version` (the JVM + picocli floor), one lookup from
# the JSON file, one lookup from the snapshot bundled in the jar, and one lookup from the cache (the JSON file
# installed as `update` installs it: current.json, its provenance record and the binary index beside it). Uses hyperfine when installed
# (apt-get install hyperfine), else a bash loop reporting mean and min.
#
#   mvn package -DskipTests                     # builds target/servicetags.jar (the CLI with everything inside)
#   benchmarks/cold-start.sh                    # from the repository root
#   JAR=/tmp/b/servicetags.jar DATA=../shared/servicetags/ServiceTags_Public_376.json RUNS=20 benchmarks/cold-start.sh
#   MEASURE=cpu benchmarks/cold-start.sh       # user+sys CPU time instead of wall time (a loaded, shared machine)
#
# Targets: lookup from the JSON file within 2.5x of --version (issue 5); from the bundled snapshot and from the
# cache within 1.5x (issue 14).
set -euo pipefail
JAR=${JAR:-target/servicetags.jar}
DATA=${DATA:-../shared/servicetags/ServiceTags_Public_376.json}
RUNS=${RUNS:-10}
IP=${IP:-20.38.98.1}
JAVA=${JAVA:-java}
[ -f "$JAR" ] || { echo "no $JAR: run 'mvn package -DskipTests' first (or set JAR=...)" >&2; exit 2; }
[ -f "$DATA" ] || { echo "no $DATA: set DATA=path/to/ServiceTags_Public_376.json" >&2; exit 2; }
# isolate from a user's cache and environment: the bundled case must really use the bundled snapshot
EMPTY=$(mktemp -d)
CACHE=$(mktemp -d)
trap 'rm -rf "$EMPTY" "$CACHE"' EXIT
unset SERVICETAGS_DATA SERVICETAGS_CACHE || true
# a cache as `update` leaves it: the file, its provenance (SHA-256 and size) and, after the first read, the index
mkdir -p "$CACHE/Public"
cp "$DATA" "$CACHE/Public/current.json"
SHA=$(sha256sum "$DATA" | cut -d' ' -f1)
SIZE=$(stat -c %s "$DATA")
CHANGE=$(awk 'match($0, /"changeNumber": *[0-9]+/) { s = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", s); print s; exit }' "$DATA")
printf '{"format":1,"cloud":"Public","changeNumber":%s,"url":"https://download.microsoft.com/download/%s",'\
'"downloadedAt":"2025-01-01T00:00:00Z","sha256":"%s","size":%s}\n' "$CHANGE" "$(basename "$DATA")" "$SHA" "$SIZE" \
    > "$CACHE/Public/current.provenance.json"
V="$JAVA -jar $JAR --version"
F="$JAVA -jar $JAR --cache $EMPTY --data $DATA lookup $IP"
B="$JAVA -jar $JAR --cache $EMPTY lookup $IP"
C="$JAVA -jar $JAR --cache $CACHE lookup $IP"
for c in "$V" "$F" "$B" "$C"; do
    $c > /dev/null 2>&1 || { echo "failed: $c" >&2; $c; exit 1; }
done
[ -f "$CACHE/Public/current.index" ] || { echo "the lookup from the cache stored no current.index" >&2; exit 1; }
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg); $($JAVA -version 2>&1 | head -1)"
if [ "${MEASURE:-wall}" != cpu ] && command -v hyperfine > /dev/null; then
    hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "${MARKDOWN:-/dev/null}" \
        -n "version" "$V" -n "lookup, JSON file" "$F" -n "lookup, bundled" "$B" -n "lookup, cache" "$C"
else
    ms() { # mean and min wall (or, with MEASURE=cpu, user+sys CPU) time of a command over RUNS runs, in ms
        local sum=0 min=999999 t0 t1 d TIMEFORMAT='%3U %3S'
        for _ in 1 2; do $1 > /dev/null 2>&1; done
        for ((i = 0; i < RUNS; i++)); do
            if [ "${MEASURE:-wall}" = cpu ]; then
                d=$( { time $1 > /dev/null 2>&1; } 2>&1 | awk '{ printf "%d", ($1 + $2) * 1000 }')
            else
                t0=$(date +%s%N); $1 > /dev/null 2>&1; t1=$(date +%s%N); d=$(((t1 - t0) / 1000000))
            fi
            sum=$((sum + d)); ((d < min)) && min=$d
        done
        echo "$((sum / RUNS)) $min"
    }
    read -r v vmin < <(ms "$V"); read -r f fmin < <(ms "$F"); read -r b bmin < <(ms "$B"); read -r c cmin < <(ms "$C")
    echo "${MEASURE:-wall} time:"
    printf '%-20s mean %5d ms  min %5d ms\n' "--version" "$v" "$vmin" "lookup, JSON file" "$f" "$fmin" \
        "lookup, bundled" "$b" "$bmin" "lookup, cache" "$c" "$cmin"
    awk -v v="$v" -v f="$f" -v b="$b" -v c="$c" 'BEGIN { printf "ratios to --version: JSON file %.2fx (target 2.5x), bundled %.2fx (target 1.5x), cache %.2fx (target 1.5x)\n", f / v, b / v, c / v }'
fi
