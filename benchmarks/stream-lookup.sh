#!/usr/bin/env bash
# `lookup --stdin` as a whole process over a large file of mixed lines, beside `cat` and `awk '{print $1 "\t"}'`
# over the same file in the same run: wall time and CPU time (user + sys, best of RUNS each), lines per second, and
# maximum resident memory (/usr/bin/time -v). On a shared machine compare the CPU times: wall time moves with the load. The JVM runs with its default flags. Output of every command goes to /dev/null.
#
#   mvn package -DskipTests                     # builds target/servicetags.jar
#   benchmarks/stream-lookup.sh                 # from the repository root: 5,000,000 lines
#   LINES=1000000 RUNS=5 JAR=/tmp/b/servicetags.jar benchmarks/stream-lookup.sh
#
# The file (generated here, deterministic, kept in $WORK) mixes what log lines hold: 60% IPv4 inside Azure
# prefixes, 15% random IPv4, 10% IPv6 inside Azure prefixes, 3% IPv4-mapped, 3% padded with spaces or tabs,
# 3% CRLF endings, 2% blank, 2% random IPv6, 2% text that is not an address (reported on stderr: exit 2 expected).
# Target (issue 14): within 3x of awk, under 256 MB resident.
set -euo pipefail
JAR=${JAR:-target/servicetags.jar}
LINES=${LINES:-5000000}
RUNS=${RUNS:-3}
JAVA=${JAVA:-java}
WORK=${WORK:-${TMPDIR:-/tmp}/servicetags-stream}
[ -f "$JAR" ] || { echo "no $JAR: run 'mvn package -DskipTests' first (or set JAR=...)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$WORK"
EMPTY=$(mktemp -d)
trap 'rm -rf "$EMPTY"' EXIT
unset SERVICETAGS_DATA SERVICETAGS_CACHE || true
IN="$WORK/mixed-$LINES.txt"
if [ ! -s "$IN" ]; then
    "$JAVA" -jar "$JAR" --cache "$EMPTY" prefixes --ipv4 AzureCloud 2> /dev/null > "$WORK/v4.txt"
    "$JAVA" -jar "$JAR" --cache "$EMPTY" prefixes --ipv6 AzureCloud 2> /dev/null > "$WORK/v6.txt"
    awk -v lines="$LINES" -v v4="$WORK/v4.txt" -v v6="$WORK/v6.txt" '
        BEGIN {
            srand(14)
            while ((getline p < v4) > 0) { split(p, a, "/"); split(a[1], o, "."); n4++
                net[n4] = ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4]; size[n4] = 2 ^ (32 - a[2]) }
            while ((getline p < v6) > 0) { split(p, a, "/"); if (a[1] ~ /::$/ && a[2] <= 112) six[++n6] = a[1] }
            for (i = 0; i < lines; i++) {
                k = rand() * 100
                if (k < 60 || (k >= 75 && k < 78) || (k >= 78 && k < 81)) {
                    j = int(rand() * n4) + 1; x = net[j] + int(rand() * size[j])
                    ip = sprintf("%d.%d.%d.%d", int(x / 16777216), int(x / 65536) % 256, int(x / 256) % 256, x % 256)
                    if (k >= 75 && k < 78) ip = "::ffff:" ip
                    else if (k >= 78) ip = (rand() < 0.5 ? "  " : "\t") ip " "
                } else if (k < 75) {
                    ip = sprintf("%d.%d.%d.%d", int(rand() * 256), int(rand() * 256), int(rand() * 256), int(rand() * 256))
                } else if (k < 91) {
                    ip = six[int(rand() * n6) + 1] sprintf("%x", int(rand() * 65536))
                } else if (k < 94) {
                    j = int(rand() * n4) + 1; x = net[j] + int(rand() * size[j])
                    ip = sprintf("%d.%d.%d.%d\r", int(x / 16777216), int(x / 65536) % 256, int(x / 256) % 256, x % 256)
                } else if (k < 96) {
                    ip = ""
                } else if (k < 98) {
                    ip = sprintf("2001:db8:%x::%x", int(rand() * 65536), int(rand() * 65536))
                } else {
                    ip = (rand() < 0.5 ? "not-an-address" : "010.1.1." int(rand() * 256))
                }
                print ip
            }
        }' > "$IN"
fi
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA" -version 2>&1 | head -1)"
echo "input: $IN, $LINES lines, $(($(stat -c %s "$IN") / 1048576)) MB"

# best wall time (s), best CPU time (user + sys, s) and the largest resident set (MB) over RUNS runs of: sh -c "$1"
measure() {
    local best=999999 cpu=999999 rss=0 t c m
    for ((i = 0; i < RUNS; i++)); do
        /usr/bin/time -v -o "$WORK/time.txt" sh -c "$1" > /dev/null 2>&1 || true
        t=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt" \
            | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        c=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$WORK/time.txt")
        m=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
        best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
        cpu=$(awk -v a="$cpu" -v b="$c" 'BEGIN { print (b < a ? b : a) }')
        ((m > rss)) && rss=$m
    done
    echo "$best $cpu $((rss / 1024))"
}
LOOKUP="$JAVA -jar $JAR --cache $EMPTY lookup --stdin"
"$JAVA" -jar "$JAR" --cache "$EMPTY" lookup --stdin --format tsv < "$IN" 2> "$WORK/stderr.txt" | head -3 || true
echo "invalid lines reported: $(tail -1 "$WORK/stderr.txt")"
AWK="awk '{print \$1 \"\\t\"}' $IN"
read -r awk_s awk_c awk_m < <(measure "$AWK")
printf '%-30s %8s %12s %7s %8s %7s %7s\n' command wall-s lines/s "x awk" CPU-s "x awk" "RSS MB"
row() { # name, then wall seconds, CPU seconds and MB
    awk -v n="$1" -v s="$2" -v c="$3" -v a="$awk_s" -v ac="$awk_c" -v l="$LINES" -v m="$4" \
        'BEGIN { printf "%-30s %8.2f %12.0f %6.2fx %8.2f %6.2fx %7d\n", n, s, l / s, s / a, c, c / ac, m }'
}
row "cat" $(measure "cat $IN")
row "awk '{print \$1 \"\\t\"}'" "$awk_s" "$awk_c" "$awk_m"
row "lookup --stdin --format tsv" $(measure "$LOOKUP --format tsv < $IN")
row "lookup --stdin (text)" $(measure "$LOOKUP < $IN")
row "lookup --stdin --format json" $(measure "$LOOKUP --format json < $IN")
