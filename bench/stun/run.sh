#!/usr/bin/env bash
# bench/stun: STUN Binding requests/s and server CPU per answer on loopback, for
#   echo      udp-echo (tools/stun-bench/udp_echo.c): recvmmsg -> sendmmsg of the same bytes, the kernel floor
#   sipnatd   the stun module on sipnatd's SIP UDP listener (modules/stun)
#   kamailio  Kamailio 5.6's stun module on its SIP UDP listener
#   coturn    coturn's turnserver in STUN-only mode (--stun-only, no auth)
# each with 1 and 2 workers (CHILDREN), in one run, all on 127.0.0.1.
#
#   bash bench/stun/run.sh                       # from the repo root, after scripts/build build
#   DURATION=3 WARMUP=1 bash bench/stun/run.sh   # a quick look
#
# The load generator is tools/stun-bench/stun_bench.cpp (single-threaded, pinned to GEN_CPU): SOCKETS
# client sockets x WINDOW outstanding RFC 5389 Binding requests, sendmmsg/recvmmsg, every answer
# checked (transaction id of a request in flight, XOR-MAPPED-ADDRESS = the socket's address; the
# echo server's answers only by transaction id). The server runs pinned to SERVER_CPU (taskset).
# Per server and worker count, two steps:
#   max   closed loop: a new request for each answer, for DURATION s after WARMUP s;
#   rate  for each of RATES requests/s (paced per ms, bounded by the window), same length.
# Each step reports answers/s, p50/p99 latency, and the server's utime+stime over the measured
# interval (/proc/PID/stat of the server process and all its descendants, all threads) divided by
# the answers: CPU per answer. REPEAT > 1 repeats everything (interleaved) and keeps the median.
#
# Every process started here runs under `timeout` and is stopped on exit (trap EXIT), also on
# Ctrl-C. Logs, configs, raw results (results.txt) and the summary (summary.md) stay in $OUT.
#
# Knobs (environment):
#   SERVERS="echo sipnatd kamailio coturn"  CHILDREN="1 2"  DURATION=10 WARMUP=2 REPEAT=1
#   SOCKETS=16 WINDOW=8 RATES="20000 50000" TIMEOUT_MS=200
#   PIN=1 GEN_CPU=0 SERVER_CPU=1   (PIN=0: no taskset)
#   NICE=0 (e.g. -10, as root: generator and servers ahead of other work on a busy box)
#   BASE_PORT=36100 (echo +0, sipnatd +10/+11, kamailio +20, coturn +30/+31)
#   BUILD=build SIPNATD=$BUILD/core/sipnatd STUN_BENCH=$BUILD/tools/stun-bench/stun-bench
#   UDP_ECHO=$BUILD/tools/stun-bench/udp-echo KAMAILIO=kamailio TURNSERVER=turnserver
#   PERF=0 (1: `perf record -g` of sipnatd during its max steps, report in $OUT/perf-*.txt)
#   OUT=/tmp/stun-bench.XXXXXX
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD

SERVERS=${SERVERS:-"echo sipnatd kamailio coturn"}
CHILDREN=${CHILDREN:-"1 2"}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
REPEAT=${REPEAT:-1}
SOCKETS=${SOCKETS:-16}
WINDOW=${WINDOW:-8}
RATES=${RATES:-"20000 50000"}
TIMEOUT_MS=${TIMEOUT_MS:-200}
PIN=${PIN:-1}
NICE=${NICE:-0}
GEN_CPU=${GEN_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
BASE_PORT=${BASE_PORT:-36100}
BUILD=${BUILD:-build}
SIPNATD=${SIPNATD:-$BUILD/core/sipnatd}
STUN_BENCH=${STUN_BENCH:-$BUILD/tools/stun-bench/stun-bench}
UDP_ECHO=${UDP_ECHO:-$BUILD/tools/stun-bench/udp-echo}
KAMAILIO=${KAMAILIO:-kamailio}
TURNSERVER=${TURNSERVER:-turnserver}
KAMAILIO_MODDIR=${KAMAILIO_MODDIR:-/usr/lib/x86_64-linux-gnu/kamailio/modules}
PERF=${PERF:-0}
IP=127.0.0.1
ALT_IP=127.0.0.2

declare -A PORT=([echo]=$BASE_PORT [sipnatd]=$((BASE_PORT + 10)) [kamailio]=$((BASE_PORT + 20)) [coturn]=$((BASE_PORT + 30)))

die() { echo "stun-bench: $*" >&2; exit 1; }
log() { echo "stun-bench: $*" >&2; }

for t in timeout ss awk sort; do command -v "$t" >/dev/null || die "missing $t"; done
NCPU=$(nproc)
if [ "$PIN" = 1 ] && [ "$NCPU" -lt 2 ]; then log "one CPU only: no pinning"; PIN=0; fi
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null || die "missing taskset"
  ON_GEN=(taskset -c "$GEN_CPU"); ON_SRV=(taskset -c "$SERVER_CPU")
  PIN_TEXT="generator on CPU $GEN_CPU, server on CPU $SERVER_CPU (taskset)"
else
  ON_GEN=(); ON_SRV=(); PIN_TEXT="no pinning"
fi
if [ "$NICE" != 0 ]; then   # the same priority for the generator and every server
  ON_GEN=(nice -n "$NICE" "${ON_GEN[@]}"); ON_SRV=(nice -n "$NICE" "${ON_SRV[@]}")
  PIN_TEXT="$PIN_TEXT, nice $NICE"
  # With autogroup scheduling (kernel.sched_autogroup_enabled=1) nice only orders tasks within
  # their session; sessions share the CPU equally. This script's session (its children stay in
  # it) gets the same nice as a group.
  if [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" = 1 ]; then
    if echo "$NICE" 2>/dev/null >"/proc/$$/autogroup"; then PIN_TEXT="$PIN_TEXT (also as autogroup nice)"
    else log "cannot set the autogroup nice: nice $NICE only applies within this session"; fi
  fi
fi

OUT=${OUT:-$(mktemp -d /tmp/stun-bench.XXXXXX)}
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
abs() { case $1 in /*) echo "$1" ;; */*) echo "$ROOT/$1" ;; *) command -v "$1" || echo "$1" ;; esac; }
SIPNATD=$(abs "$SIPNATD"); STUN_BENCH=$(abs "$STUN_BENCH"); UDP_ECHO=$(abs "$UDP_ECHO")

# The generator and the echo server: from the build tree (tools/stun-bench), else built here.
if [ ! -x "$STUN_BENCH" ]; then
  log "no $STUN_BENCH (tools/stun-bench not in the build?): compiling into $OUT"
  c++ -std=c++20 -O2 -Wall -Wextra -o "$OUT/stun-bench" "$ROOT/tools/stun-bench/stun_bench.cpp" || die "cannot build stun-bench"
  STUN_BENCH=$OUT/stun-bench
fi
if [ ! -x "$UDP_ECHO" ]; then
  log "no $UDP_ECHO: compiling into $OUT"
  cc -std=c11 -O2 -Wall -Wextra -pthread -o "$OUT/udp-echo" "$ROOT/tools/stun-bench/udp_echo.c" || die "cannot build udp-echo"
  UDP_ECHO=$OUT/udp-echo
fi

cd "$OUT" || exit 1

# ---------------------------------------------------------------- processes
# Every background process runs as `timeout -k 3 SECS cmd...`; WRAPPERS holds the timeout pids.
WRAPPERS=()
start_bounded() { # secs logfile cmd... ; sets BG_WRAPPER and BG_PID (the command itself)
  local secs=$1 logf=$2; shift 2
  timeout -k 3 "$secs" "$@" >"$logf" 2>&1 &
  BG_WRAPPER=$!
  WRAPPERS+=("$BG_WRAPPER")
  BG_PID=""
  local i
  for i in $(seq 1 100); do
    # the command is the child of `timeout` (taskset execs it in place)
    BG_PID=$(pgrep -P "$BG_WRAPPER" 2>/dev/null | head -1)
    [ -n "$BG_PID" ] && break
    alive "$BG_WRAPPER" || break
    sleep 0.02
  done
}
alive() { # a child of ours, not a zombie
  local st
  st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$st" ] && [ "$st" != Z ]
}
stop_bounded() { # wrapper pid
  local w=$1 i keep=() x
  kill -TERM "$w" 2>/dev/null
  for i in $(seq 1 50); do alive "$w" || break; sleep 0.1; done
  kill -KILL "$w" 2>/dev/null
  wait "$w" 2>/dev/null
  for x in "${WRAPPERS[@]}"; do [ "$x" = "$w" ] || keep+=("$x"); done
  WRAPPERS=("${keep[@]}")
  return 0
}
cleanup() {
  local w
  for w in "${WRAPPERS[@]}"; do kill -TERM "$w" 2>/dev/null; done
  for w in "${WRAPPERS[@]}"; do stop_bounded "$w"; done
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_busy() { [ -n "$(ss -Hlun "sport = :$1" 2>/dev/null)" ]; }

# ---------------------------------------------------------------- servers
NSTEPS=$(( 1 + $(echo $RATES | wc -w) ))
SERVER_SECS=$(( (WARMUP + DURATION + 5) * NSTEPS + 60 ))   # bound of one server's life: its steps + margin

write_sipnatd_cfg() { # children port
  cat >"$OUT/sipnatd-$1.cfg" <<EOF
# bench/stun: the stun module on sipnatd's SIP listener, $1 worker(s)
log_level=2
children=$1
listen=udp:$IP:$2
loadmodule "stun.so"
modparam("stun", "primary_ip", "$IP")
modparam("stun", "primary_port", "$2")
modparam("stun", "alternate_ip", "$ALT_IP")
modparam("stun", "alternate_port", "$(($2 + 1))")
route {
    if (is_method("OPTIONS") && \$rU == "") { sl_send_reply(200, "OK"); exit; }
    forward();
}
EOF
}

write_kamailio_cfg() { # children
  cat >"$OUT/kamailio-$1.cfg" <<EOF
#!KAMAILIO
# bench/stun: Kamailio's stun module (RFC 5389 Binding on the SIP UDP socket), $1 UDP receiver(s)
debug=0
log_stderror=yes
children=$1
auto_aliases=no
dns=no
rev_dns=no
dns_try_ipv6=no
use_dns_cache=off
disable_tcp=yes
disable_sctp=yes
enable_tls=no
server_signature=no
maxbuffer=4194304
mpath="$KAMAILIO_MODDIR/"
loadmodule "sl.so"
loadmodule "textops.so"
loadmodule "stun.so"
request_route {
	if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); }
	exit;
}
EOF
}

# start_server name children -> SRV_WRAPPER, SRV_PID (the pid whose tree is measured); false on failure
start_server() {
  local name=$1 n=$2 port=${PORT[$1]} p
  for p in "$port" $((port + 1)); do
    port_busy "$p" && { log "$name: udp port $p is in use"; return 1; }
  done
  case $name in
    echo)
      start_bounded "$SERVER_SECS" "$OUT/echo-$n.log" "${ON_SRV[@]}" "$UDP_ECHO" "$IP" "$port" "$n" ;;
    sipnatd)
      write_sipnatd_cfg "$n" "$port"
      start_bounded "$SERVER_SECS" "$OUT/sipnatd-$n.log" "${ON_SRV[@]}" "$SIPNATD" -f "$OUT/sipnatd-$n.cfg" ;;
    kamailio)
      write_kamailio_cfg "$n"
      mkdir -p "$OUT/kamailio-run-$n"
      start_bounded "$SERVER_SECS" "$OUT/kamailio-$n.log" "${ON_SRV[@]}" "$KAMAILIO" -DD -E -f "$OUT/kamailio-$n.cfg" \
        -l "udp:$IP:$port" -Y "$OUT/kamailio-run-$n" -P "$OUT/kamailio-run-$n/kamailio.pid" -m 64 -M 8 ;;
    coturn)
      start_bounded "$SERVER_SECS" "$OUT/coturn-$n.log" "${ON_SRV[@]}" "$TURNSERVER" -n --stun-only --no-auth \
        --listening-ip "$IP" --listening-port "$port" --alt-listening-port $((port + 1)) --relay-ip "$IP" \
        --relay-threads "$n" --no-tcp --no-tls --no-dtls --no-tcp-relay --no-cli --no-stdout-log --simple-log \
        --log-file "$OUT/coturn-$n.turn.log" --pidfile "$OUT/coturn-$n.pid" --db "$OUT/coturn-$n.sqlite" ;;
  esac
  SRV_WRAPPER=$BG_WRAPPER SRV_PID=$BG_PID
  [ -n "$SRV_PID" ] || { log "$name: did not start"; return 1; }
  local i
  for i in $(seq 1 50); do
    if "${ON_GEN[@]}" "$STUN_BENCH" --server "$IP:$port" --sockets 1 --window 1 --probe $([ "$name" = echo ] && echo --echo) \
         >/dev/null 2>&1; then
      return 0
    fi
    alive "$SRV_WRAPPER" || break
  done
  log "$name ($n): no answer to a Binding request; log tail:"
  tail -5 "$OUT/$name-$n.log" >&2
  stop_bounded "$SRV_WRAPPER"
  return 1
}

# ---------------------------------------------------------------- steps
RESULTS=$OUT/results.txt
: >"$RESULTS"
field() { # "k=v k=v" key
  echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2; exit }'
}

run_step() { # name children mode rep   (mode: max, or a rate in requests/s)
  local name=$1 n=$2 mode=$3 rep=$4 port=${PORT[$1]} args=() line rc
  args=(--server "$IP:$port" --sockets "$SOCKETS" --window "$WINDOW" --duration "$DURATION" --warmup "$WARMUP"
        --timeout-ms "$TIMEOUT_MS" --cpu-pid "$SRV_PID")
  [ "$name" = echo ] && args+=(--echo)
  [ "$mode" != max ] && args+=(--rate "$mode")
  local perf_wrapper=""
  if [ "$PERF" = 1 ] && [ "$name" = sipnatd ] && [ "$mode" = max ] && command -v perf >/dev/null; then
    start_bounded $((WARMUP + DURATION + 30)) "$OUT/perf-record-$n-$rep.log" perf record -g -o "$OUT/perf-$n-$rep.data" \
      -p "$SRV_PID" -- sleep $((WARMUP + DURATION))
    perf_wrapper=$BG_WRAPPER
  fi
  line=$(timeout -k 3 $((WARMUP + DURATION + 30)) "${ON_GEN[@]}" "$STUN_BENCH" "${args[@]}" 2>"$OUT/gen-$name-$n-$mode-$rep.err")
  rc=$?
  if [ -n "$perf_wrapper" ]; then
    wait "$perf_wrapper" 2>/dev/null; stop_bounded "$perf_wrapper"
    perf report -i "$OUT/perf-$n-$rep.data" --stdio --no-children --percent-limit 1 --sort symbol \
      >"$OUT/perf-$n-$rep.txt" 2>/dev/null
    perf report -i "$OUT/perf-$n-$rep.data" --stdio --no-children --percent-limit 0.5 --sort dso,symbol -g none \
      >"$OUT/perf-$n-$rep-flat.txt" 2>/dev/null
  fi
  [ -n "$line" ] || line="rps=0 server_cpu_us_per_resp=0"
  echo "server=$name children=$n mode=$mode rep=$rep rc=$rc $line" >>"$RESULTS"
  printf '  %-8s %d %-5s rps=%-8s cpu/answer=%-7s us  answers/wake-up=%-6s server-util=%-5s gen-util=%-5s p50=%sus p99=%sus lost=%s bad=%s%s\n' \
    "$name" "$n" "$mode" "$(field "$line" rps)" "$(field "$line" server_cpu_us_per_resp)" \
    "$(field "$line" server_answers_per_wakeup)" "$(field "$line" server_util)" \
    "$(field "$line" gen_util)" "$(field "$line" p50_us)" "$(field "$line" p99_us)" "$(field "$line" lost)" \
    "$(field "$line" bad)" "$([ $rc = 0 ] || echo "  (exit $rc: see $OUT/gen-$name-$n-$mode-$rep.err)")" >&2
}

# ---------------------------------------------------------------- run
SOFT_SIPNATD=$("$SIPNATD" -V 2>&1 | head -1)
SOFT_KAM=$("$KAMAILIO" -v 2>/dev/null | head -1)
SOFT_COTURN=$(dpkg-query -W -f '${Version}' coturn 2>/dev/null || echo "?")
CPU_MODEL=$(lscpu 2>/dev/null | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $CPU_MODEL, $NCPU CPUs, $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "pinning: $PIN_TEXT"
  echo "load: $SOCKETS sockets x $WINDOW outstanding, ${WARMUP}s warm-up + ${DURATION}s per step, fixed rates: $RATES requests/s"
  echo "sipnatd: $SOFT_SIPNATD ($SIPNATD); kamailio: $SOFT_KAM; coturn: $SOFT_COTURN"
} | tee "$OUT/machine.txt" >&2

declare -A SKIPPED=()
command -v "$KAMAILIO" >/dev/null || SKIPPED[kamailio]="not installed"
[ -f "$KAMAILIO_MODDIR/stun.so" ] || SKIPPED[kamailio]="no $KAMAILIO_MODDIR/stun.so"
command -v "$TURNSERVER" >/dev/null || SKIPPED[coturn]="not installed"
[ -x "$SIPNATD" ] || SKIPPED[sipnatd]="no $SIPNATD"

for rep in $(seq 1 "$REPEAT"); do
  for n in $CHILDREN; do
    for s in $SERVERS; do
      [ -n "${SKIPPED[$s]:-}" ] && continue
      log "== $s, $n worker(s), run $rep/$REPEAT"
      if ! start_server "$s" "$n"; then
        echo "server=$s children=$n mode=max rep=$rep rc=9 rps=0" >>"$RESULTS"
        continue
      fi
      run_step "$s" "$n" max "$rep"
      for r in $RATES; do run_step "$s" "$n" "$r" "$rep"; done
      stop_bounded "$SRV_WRAPPER"
    done
  done
done
for s in "${!SKIPPED[@]}"; do log "$s skipped: ${SKIPPED[$s]}"; done

# ---------------------------------------------------------------- summary
# medians over repeats, per server, workers and step
awk -v servers="$SERVERS" -v children="$CHILDREN" -v rates="$RATES" '
  function med(key,   n, i, j, t, a) {
    n = cnt[key]; if (n == 0) return 0
    for (i = 1; i <= n; i++) a[i] = vals[key, i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function put(key, v) { cnt[key]++; vals[key, cnt[key]] = v }
  function k(s, c, m) { return s SUBSEP c SUBSEP m }
  function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f", a / b) : "n/a" }
  {
    delete f
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    if (f["rc"] == 9) next
    key = k(f["server"], f["children"], f["mode"])
    put("rps" SUBSEP key, f["rps"] + 0); put("cpu" SUBSEP key, f["server_cpu_us_per_resp"] + 0)
    put("util" SUBSEP key, f["server_util"] + 0); put("gen" SUBSEP key, f["gen_util"] + 0)
    put("p50" SUBSEP key, f["p50_us"] + 0); put("p99" SUBSEP key, f["p99_us"] + 0)
    put("lost" SUBSEP key, f["lost"] + 0); put("bad" SUBSEP key, f["bad"] + 0)
    put("apw" SUBSEP key, f["server_answers_per_wakeup"] + 0)
    seen[f["server"]] = 1
  }
  END {
    ns = split(servers, S, " "); nc = split(children, C, " "); nr = split(rates, R, " ")
    M[1] = "max"; for (r = 1; r <= nr; r++) M[r + 1] = R[r]; nm = nr + 1
    print "| server | workers | step | answers/s | CPU µs/answer | answers per wake-up | server CPU | generator CPU | p50 / p99 µs | lost / bad |"
    print "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for (c = 1; c <= nc; c++) for (m = 1; m <= nm; m++) for (s = 1; s <= ns; s++) {
      km = k(S[s], C[c], M[m])
      if (!cnt["rps" SUBSEP km]) continue
      printf "| %s | %s | %s | %.0f | %.3f | %.1f | %.0f%% | %.0f%% | %d / %d | %d / %d |\n", S[s], C[c],
        (M[m] == "max") ? "max" : M[m] "/s", med("rps" SUBSEP km), med("cpu" SUBSEP km), med("apw" SUBSEP km),
        100 * med("util" SUBSEP km), 100 * med("gen" SUBSEP km), med("p50" SUBSEP km), med("p99" SUBSEP km),
        med("lost" SUBSEP km), med("bad" SUBSEP km)
    }
    print ""
    h = "| sipnatd workers | answers/s (max) vs echo | vs kamailio | vs coturn | CPU/answer (max) vs echo | vs kamailio | vs coturn"
    d = "| --- | --- | --- | --- | --- | --- | ---"
    for (r = 1; r <= nr; r++) { h = h " | CPU/answer (" R[r] "/s) vs echo | vs kamailio | vs coturn"; d = d " | --- | --- | ---" }
    print h " |"; print d " |"
    for (c = 1; c <= nc; c++) {
      sm = k("sipnatd", C[c], "max")
      if (!cnt["rps" SUBSEP sm]) continue
      line = "| " C[c]
      split("echo kamailio coturn", REF, " ")
      for (x = 1; x <= 3; x++) line = line " | " ratio(med("rps" SUBSEP sm), med("rps" SUBSEP k(REF[x], C[c], "max")))
      for (x = 1; x <= 3; x++) line = line " | " ratio(med("cpu" SUBSEP sm), med("cpu" SUBSEP k(REF[x], C[c], "max")))
      for (r = 1; r <= nr; r++)
        for (x = 1; x <= 3; x++)
          line = line " | " ratio(med("cpu" SUBSEP k("sipnatd", C[c], R[r])), med("cpu" SUBSEP k(REF[x], C[c], R[r])))
      print line " |"
    }
  }' "$RESULTS" >"$OUT/summary.md"

echo >&2
cat "$OUT/machine.txt"
echo
cat "$OUT/summary.md"
echo
echo "raw results: $RESULTS; logs and configs: $OUT"
