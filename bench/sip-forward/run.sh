#!/usr/bin/env bash
# bench/sip-forward: SIPp UAC -> stateless proxy -> SIPp UAS, all on 127.0.0.1,
# measured for sipnatd and for Kamailio (the reference) in the same run.
#
#   bash bench/sip-forward/run.sh            # from the repo root, after scripts/build build
#   RATES="500 1000" STEP_SECS=5 bash bench/sip-forward/run.sh    # a quick look
#
# For each proxy (sipnatd with a generated config, then Kamailio with
# test/sipp/kamailio-stateless.cfg; same script logic, same number of workers):
#   1. start it, wait for it to answer an OPTIONS (test/sipp/options.xml), then
#      note its CPU use while idle for IDLE_SECS;
#   2. smoke: 20 calls must all succeed, else the proxy is reported "not forwarding";
#   3. CPU cost: CPU_RATE calls/s for CPU_SECS; the proxy's utime+stime (all its
#      threads and child processes, /proc/PID/stat) divided by the calls = CPU per call;
#   4. ramp: RATES one after the other, STEP_SECS each. A step sends rate*STEP_SECS
#      calls (test/sipp/uac.xml, no pause between ACK and BYE, at most `rate`
#      calls open at once); a call counts only if its BYE got its 200 within
#      DRAIN_SECS after the step's last call was due. A step passes when
#      failed + unfinished <= MAX_FAIL_PCT % of its calls; a failing step is run
#      once more (RETRY=1) before the ramp stops. Result: the highest passing rate.
# A fresh UAS (test/sipp/uas.xml) is started for every step.
#
# Every process started here runs under `timeout` and is stopped on exit (trap EXIT).
# Logs, SIPp statistics and the summary stay in $OUT (printed at the end).
#
# Knobs (environment):
#   PROXIES="sipnatd kamailio"  RATES="200 500 1000 2000 3000 4000 5000 6000 8000 10000 12000 16000"
#   STEP_SECS=10 DRAIN_SECS=5 MAX_FAIL_PCT=1 RETRY=1 CPU_RATE=1000 CPU_SECS=10 IDLE_SECS=5
#   PIN=1 PROXY_CPU=1 SIPP_CPU=0   (PIN=0: no taskset at all)
#   NICE=0 (e.g. -10, as root: proxies and SIPp ahead of other work on a busy box;
#           this slows everything else on the machine while it runs)
#   BASE_PORT=35060 (UAC +1, UAS +2, OPTIONS pinger +3, sipnatd +10, kamailio +20)
#   SIPNATD=build/core/sipnatd KAMAILIO=kamailio KAMAILIO_CFG=test/sipp/kamailio-stateless.cfg
#   CALL_PAUSE_MS=0 TRACE_ERR=0 (1: SIPp error logs, big when a step fails) OUT=/tmp/sip-forward.XXXX
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD

PROXIES=${PROXIES:-"sipnatd kamailio"}
RATES=${RATES:-"200 500 1000 2000 3000 4000 5000 6000 8000 10000 12000 16000"}
STEP_SECS=${STEP_SECS:-10}
DRAIN_SECS=${DRAIN_SECS:-5}
MAX_FAIL_PCT=${MAX_FAIL_PCT:-1}
RETRY=${RETRY:-1}
CPU_RATE=${CPU_RATE:-1000}
CPU_SECS=${CPU_SECS:-10}
IDLE_SECS=${IDLE_SECS:-5}
PIN=${PIN:-1}
NICE=${NICE:-0}
PROXY_CPU=${PROXY_CPU:-1}
SIPP_CPU=${SIPP_CPU:-0}
BASE_PORT=${BASE_PORT:-35060}
SIPNATD=${SIPNATD:-build/core/sipnatd}
KAMAILIO=${KAMAILIO:-kamailio}
KAMAILIO_CFG=${KAMAILIO_CFG:-test/sipp/kamailio-stateless.cfg}
CALL_PAUSE_MS=${CALL_PAUSE_MS:-0}
TRACE_ERR=${TRACE_ERR:-0}
SCEN=$ROOT/test/sipp

UAC_PORT=$((BASE_PORT + 1))
UAS_PORT=$((BASE_PORT + 2))
PING_PORT=$((BASE_PORT + 3))
declare -A PROXY_PORT=([sipnatd]=$((BASE_PORT + 10)) [kamailio]=$((BASE_PORT + 20)))
HZ=$(getconf CLK_TCK)
NCPU=$(nproc)

die() { echo "sip-forward: $*" >&2; exit 1; }
log() { echo "sip-forward: $*" >&2; }

for t in sipp timeout ss awk; do command -v "$t" >/dev/null || die "missing $t (scripts/deps --test installs it)"; done
[ "$PIN" = 1 ] && { command -v taskset >/dev/null || die "missing taskset"; }
if [ "$PIN" = 1 ] && [ "$NCPU" -lt 2 ]; then log "one CPU only: no pinning"; PIN=0; fi
if [ "$PIN" = 1 ]; then
  ON_PROXY=(taskset -c "$PROXY_CPU"); ON_SIPP=(taskset -c "$SIPP_CPU")
  PIN_TEXT="proxy on CPU $PROXY_CPU, SIPp UAC+UAS on CPU $SIPP_CPU (taskset)"
else
  ON_PROXY=(); ON_SIPP=(); PIN_TEXT="no pinning"
fi
if [ "$NICE" != 0 ]; then   # same priority for the proxies and SIPp
  ON_PROXY=(nice -n "$NICE" "${ON_PROXY[@]}"); ON_SIPP=(nice -n "$NICE" "${ON_SIPP[@]}")
  PIN_TEXT="$PIN_TEXT, nice $NICE"
fi

OUT=${OUT:-$(mktemp -d /tmp/sip-forward.XXXXXX)}
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
case $SIPNATD in /*) ;; */*) SIPNATD=$ROOT/$SIPNATD ;; esac
case $KAMAILIO_CFG in /*) ;; *) KAMAILIO_CFG=$ROOT/$KAMAILIO_CFG ;; esac
cd "$OUT" || exit 1   # whatever a tool drops in its working directory lands here

# ---------------------------------------------------------------- processes
# Every background process is started as `timeout -k 3 SECS cmd...`; WRAPPERS
# holds the timeout pids. Stopping one = TERM to timeout, which passes it on to
# its command (and, 3 s later, KILL if needed).
WRAPPERS=()
start_bounded() { # secs logfile cmd... ; sets BG_WRAPPER and BG_PID (the command itself)
  local secs=$1 logf=$2; shift 2
  timeout -k 3 "$secs" "$@" >"$logf" 2>&1 &
  BG_WRAPPER=$!
  WRAPPERS+=("$BG_WRAPPER")
  BG_PID=""
  local i
  for i in $(seq 1 100); do
    BG_PID=$(cat /proc/[0-9]*/stat 2>/dev/null |
      awk -v p="$BG_WRAPPER" '{ l=$0; sub(/^.*\) /, "", l); split(l, f, " "); if (f[2] == p) { print $1; exit } }')
    [ -n "$BG_PID" ] && break
    running "$BG_WRAPPER" || break
    sleep 0.02
  done
}
running() { # pid of a child of ours: alive and not a zombie
  local st
  st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$st" ] && [ "$st" != Z ]
}
stop_bounded() { # wrapper pid (not yet waited for)
  local w=$1 i
  kill -TERM "$w" 2>/dev/null
  for i in $(seq 1 50); do running "$w" || break; sleep 0.1; done
  kill -KILL "$w" 2>/dev/null   # still our unreaped child: its pid cannot have been reused
  wait "$w" 2>/dev/null
  forget_wrapper "$w"
  return 0
}
forget_wrapper() { # a reaped pid may be reused by anyone: never signal it again
  local keep=() x
  for x in "${WRAPPERS[@]}"; do [ "$x" = "$1" ] || keep+=("$x"); done
  WRAPPERS=("${keep[@]}")
}
cleanup() {
  local w
  for w in "${WRAPPERS[@]}"; do kill -TERM "$w" 2>/dev/null; done
  for w in "${WRAPPERS[@]}"; do stop_bounded "$w"; done
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# utime+stime (clock ticks) of a process, its threads and all its descendants
tree_ticks() {
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '
    { l=$0; pid=$1; sub(/^.*\) /, "", l); split(l, f, " "); pp[pid]=f[2]; t[pid]=f[12]+f[13] }
    END { inn[root]=1; ch=1
          while (ch) { ch=0; for (p in pp) if (!(p in inn) && (pp[p] in inn)) { inn[p]=1; ch=1 } }
          s=0; for (p in inn) if (p in t) s+=t[p]; print s+0 }'
}
# CPU time (ms) of this shell's finished (waited-for) children: bash `times`,
# second line. Must run in this shell, not in $(...): sets CHILDREN_MS.
children_ms() {
  times >"$OUT/.times"
  CHILDREN_MS=$(awk 'NR==2 { n=split($0, a, " "); s=0
      for (i=1; i<=n; i++) { split(a[i], b, "m"); sub(/s$/, "", b[2]); s += b[1]*60 + b[2] }
      printf "%d\n", s*1000 }' "$OUT/.times")
}
now_ms() { date +%s%3N; }
port_free() { ! ss -Hlun "sport = :$1" | grep -q .; }
wait_bound() { local i; for i in $(seq 1 100); do port_free "$1" || return 0; sleep 0.02; done; return 1; }

for p in $UAC_PORT $UAS_PORT $PING_PORT ${PROXY_PORT[sipnatd]} ${PROXY_PORT[kamailio]}; do
  port_free "$p" || die "UDP port $p is in use on this machine (set BASE_PORT=...)"
done

# ---------------------------------------------------------------- proxies
sipnatd_cfg() {
  cat <<EOF
# generated by bench/sip-forward/run.sh
log_level=2
children=2
listen=udp:127.0.0.1:${PROXY_PORT[sipnatd]}
route {
    if (is_method("OPTIONS") && \$rU == "") { sl_send_reply(200, "OK"); exit; }
    forward();
}
EOF
}

PROXY_WRAPPER=""; PROXY_PID=""
start_proxy() { # name budget_secs -> 0 when it answers OPTIONS
  local name=$1 budget=$2 dir="$OUT/$1"
  mkdir -p "$dir"
  case $name in
    sipnatd)
      [ -x "$SIPNATD" ] || { STATUS[$name]="missing $SIPNATD (scripts/build build)"; return 1; }
      sipnatd_cfg >"$dir/sipnatd.cfg"
      if ! "$SIPNATD" -f "$dir/sipnatd.cfg" -c >"$dir/check.log" 2>&1; then
        STATUS[$name]="config rejected: $(tail -1 "$dir/check.log")"; return 1
      fi
      PROXY_CMD=("$SIPNATD" -f "$dir/sipnatd.cfg")
      ;;
    kamailio)
      command -v "$KAMAILIO" >/dev/null || { STATUS[$name]="missing kamailio"; return 1; }
      mkdir -p "$dir/run"
      PROXY_CMD=("$KAMAILIO" -DD -E -f "$KAMAILIO_CFG" -l "udp:127.0.0.1:${PROXY_PORT[kamailio]}"
                 -Y "$dir/run" -P "$dir/run/kamailio.pid" -m 64 -M 8)
      ;;
  esac
  echo "${ON_PROXY[*]} ${PROXY_CMD[*]}" >"$dir/command.txt"
  start_bounded "$budget" "$dir/proxy.log" "${ON_PROXY[@]}" "${PROXY_CMD[@]}"
  PROXY_WRAPPER=$BG_WRAPPER; PROXY_PID=$BG_PID
  local i
  for i in $(seq 1 25); do
    if ! running "$PROXY_WRAPPER"; then
      STATUS[$name]="exited at start (see $dir/proxy.log)"; return 1
    fi
    if timeout 3 sipp 127.0.0.1:"${PROXY_PORT[$name]}" -sf "$SCEN/options.xml" -i 127.0.0.1 -p "$PING_PORT" \
         -m 1 -nostdin -timeout 2s >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  STATUS[$name]="no 200 to OPTIONS"
  return 1
}

# ---------------------------------------------------------------- one load step
# run_step proxy rate secs tag -> sets S_* and appends a line to $OUT/steps.csv
run_step() {
  local name=$1 rate=$2 secs=$3 tag=$4
  local dir="$OUT/$name/$tag-$rate" calls=$(( $2 * $3 ))
  mkdir -p "$dir"
  local uas_err=() uac_err=()
  [ "$TRACE_ERR" = 1 ] && { uas_err=(-trace_err -error_file "$dir/uas.errors"); uac_err=(-trace_err -error_file "$dir/uac.errors"); }
  local c0 c1 t0 t1 w0 w1 rc uas_w
  children_ms; c0=$CHILDREN_MS
  start_bounded $((secs + DRAIN_SECS + 30)) "$dir/uas.out" "${ON_SIPP[@]}" \
    sipp -sf "$SCEN/uas.xml" -i 127.0.0.1 -p "$UAS_PORT" -nostdin -buff_size 4194304 "${uas_err[@]}"
  uas_w=$BG_WRAPPER
  wait_bound "$UAS_PORT" || log "UAS not listening on $UAS_PORT"
  t0=$(tree_ticks "$PROXY_PID"); w0=$(now_ms)
  # in the background + wait, so that a signal to this script is handled at once
  start_bounded $((secs + DRAIN_SECS + 2)) "$dir/uac.out" "${ON_SIPP[@]}" \
    sipp 127.0.0.1:"$UAS_PORT" -rsa 127.0.0.1:"${PROXY_PORT[$name]}" -sf "$SCEN/uac.xml" \
    -i 127.0.0.1 -p "$UAC_PORT" -r "$rate" -m "$calls" -l "$rate" -d "$CALL_PAUSE_MS" \
    -timeout $((secs + DRAIN_SECS))s -buff_size 4194304 -nostdin \
    -trace_stat -stf "$dir/uac.csv" -fd 1 "${uac_err[@]}"
  wait "$BG_WRAPPER"
  rc=$?
  forget_wrapper "$BG_WRAPPER"
  w1=$(now_ms); t1=$(tree_ticks "$PROXY_PID")
  stop_bounded "$uas_w"
  children_ms; c1=$CHILDREN_MS
  # last line of SIPp's statistics (cumulative columns "(C)"), found by name
  local stats
  stats=$(awk -F';' 'NR==1 { for (i=1; i<=NF; i++) col[$i]=i; next }
      { last=$0 } END { n=split(last, v, ";");
        printf "%d %d %d %d\n", v[col["OutgoingCall(C)"]], v[col["SuccessfulCall(C)"]],
          v[col["FailedCall(C)"]], v[col["Retransmissions(C)"]] }' \
      "$dir/uac.csv" 2>/dev/null)
  [ -n "$stats" ] || stats="0 0 0 0"
  read -r S_STARTED S_OK S_FAILED S_RETRANS <<<"$stats"
  S_LOST=$(( calls - S_OK ))
  S_WALL_MS=$(( w1 - w0 ))
  S_PROXY_TICKS=$(( t1 - t0 ))
  S_PROXY_PCT=$(awk -v t="$S_PROXY_TICKS" -v hz="$HZ" -v w="$S_WALL_MS" 'BEGIN { printf "%.0f", (w > 0 ? t/hz*100000/w : 0) }')
  S_SIPP_PCT=$(awk -v c=$(( c1 - c0 )) -v w="$S_WALL_MS" 'BEGIN { printf "%.0f", (w > 0 ? c*100/w : 0) }')
  S_FAIL_PCT=$(awk -v l="$S_LOST" -v c="$calls" 'BEGIN { printf "%.2f", c ? l*100/c : 100 }')
  S_PASS=$(awk -v l="$S_LOST" -v c="$calls" -v m="$MAX_FAIL_PCT" 'BEGIN { print ((l*100 <= m*c) ? 1 : 0) }')
  S_US_PER_CALL=$(awk -v t="$S_PROXY_TICKS" -v hz="$HZ" -v ok="$S_OK" 'BEGIN { printf "%.1f", ok ? t*1e6/hz/ok : 0 }')
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  printf '%s,%s,%s,%d,%d,%d,%d,%d,%s,%d,%s,%s,%s,%s,%s,%s\n' "$name" "$tag" "$rate" "$calls" "$S_STARTED" "$S_OK" \
    "$S_LOST" "$S_RETRANS" "$S_FAIL_PCT" "$S_WALL_MS" "$S_PROXY_PCT" "$S_SIPP_PCT" "$S_US_PER_CALL" "$load" "$rc" \
    "$([ "$S_PASS" = 1 ] && echo pass || echo FAIL)" >>"$OUT/steps.csv"
  printf '  %-9s %-5s %6s cps %7d calls %7d ok %6d lost %5.2f%% %6d retr  proxy %3s%% cpu  sipp %3s%% cpu  %6s us/call  load %-5s %s\n' \
    "$name" "$tag" "$rate" "$calls" "$S_OK" "$S_LOST" "$S_FAIL_PCT" "$S_RETRANS" "$S_PROXY_PCT" "$S_SIPP_PCT" \
    "$S_US_PER_CALL" "$load" "$([ "$S_PASS" = 1 ] && echo pass || echo FAIL)" >&2
}

# ---------------------------------------------------------------- main
declare -A STATUS BEST CPU_US CPU_PCT CPU_OK CPU_RETR IDLE_PCT FAIL_INFO
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "proxy,phase,rate,calls,started,ok,lost,retrans,lost_pct,wall_ms,proxy_cpu_pct,sipp_cpu_pct,proxy_us_per_call,load1,sipp_rc,result" >"$OUT/steps.csv"

MODEL=$(lscpu 2>/dev/null | awk -F: '/^Model name/ { gsub(/^ +/, "", $2); print $2; exit }')
log "$(date -u '+%Y-%m-%d %H:%M UTC'), ${MODEL:-unknown CPU}, $NCPU CPUs, $PIN_TEXT, load $(cut -d' ' -f1-3 /proc/loadavg)"
log "sipp $(sipp -v 2>&1 | awk '/SIPp v/ { print $2; exit }'), $("$KAMAILIO" -v 2>/dev/null | awk 'NR==1 { print $1, $2, $3 }'), output in $OUT"

SIPNATD_TEXT="sipnatd: not built"
if [ -x "$SIPNATD" ]; then
  bt=$(python3 -c 'import json, sys; print(next(o["value"] for o in json.load(open(sys.argv[1])) if o["name"] == "buildtype"))' \
       "$(dirname "$(dirname "$SIPNATD")")/meson-info/intro-buildoptions.json" 2>/dev/null || echo "unknown")
  SIPNATD_TEXT="$("$SIPNATD" -V 2>/dev/null | head -1), buildtype $bt, built $(date -u -r "$SIPNATD" '+%Y-%m-%d %H:%M UTC')"
fi
log "$SIPNATD_TEXT"

nrates=$(wc -w <<<"$RATES")
for name in $PROXIES; do
  [ -n "${PROXY_PORT[$name]:-}" ] || die "unknown proxy $name (sipnatd or kamailio)"
  BEST[$name]=""; CPU_US[$name]=""; STATUS[$name]="ok"
  budget=$(( 60 + (CPU_SECS + DRAIN_SECS + 10) + (nrates * (1 + RETRY) + 1) * (STEP_SECS + DRAIN_SECS + 10) ))
  log "== $name on 127.0.0.1:${PROXY_PORT[$name]}"
  if ! start_proxy "$name" "$budget"; then
    log "$name: ${STATUS[$name]}"
    [ -n "$PROXY_WRAPPER" ] && stop_bounded "$PROXY_WRAPPER"; PROXY_WRAPPER=""
    continue
  fi
  t0=$(tree_ticks "$PROXY_PID"); sleep "$IDLE_SECS"; t1=$(tree_ticks "$PROXY_PID")
  IDLE_PCT[$name]=$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v s="$IDLE_SECS" 'BEGIN { printf "%.1f", t/hz*100/s }')
  log "$name: idle for ${IDLE_SECS} s: ${IDLE_PCT[$name]} % of a CPU"
  run_step "$name" 10 2 smoke
  if [ "$S_OK" -lt 20 ]; then
    STATUS[$name]="not forwarding ($S_OK/20 smoke calls completed)"
    log "$name: ${STATUS[$name]}"
    stop_bounded "$PROXY_WRAPPER"; PROXY_WRAPPER=""
    continue
  fi
  run_step "$name" "$CPU_RATE" "$CPU_SECS" cpu
  CPU_US[$name]=$S_US_PER_CALL; CPU_PCT[$name]=$S_PROXY_PCT; CPU_OK[$name]=$S_PASS; CPU_RETR[$name]=$S_RETRANS
  for rate in $RATES; do
    run_step "$name" "$rate" "$STEP_SECS" ramp
    tries=0
    while [ "$S_PASS" != 1 ] && [ "$tries" -lt "$RETRY" ]; do
      tries=$((tries + 1))
      run_step "$name" "$rate" "$STEP_SECS" retry
    done
    if [ "$S_PASS" != 1 ]; then
      FAIL_INFO[$name]="failed at $rate cps: $S_FAIL_PCT % lost, proxy $S_PROXY_PCT % / SIPp $S_SIPP_PCT % of a CPU, load $(cut -d' ' -f1 /proc/loadavg)"
      break
    fi
    BEST[$name]=$rate
  done
  if ! running "$PROXY_WRAPPER"; then STATUS[$name]="proxy exited during the run (see $OUT/$name/proxy.log)"; fi
  stop_bounded "$PROXY_WRAPPER"; PROXY_WRAPPER=""
done

# ---------------------------------------------------------------- summary
{
  echo
  echo "sip-forward summary ($(date -u '+%Y-%m-%d %H:%M UTC'); ${MODEL:-unknown CPU}, $NCPU CPUs; $PIN_TEXT)"
  echo "steps of ${STEP_SECS} s, pass = lost (failed or unfinished ${DRAIN_SECS} s after the last call was due) <= ${MAX_FAIL_PCT} %"
  echo "$SIPNATD_TEXT; $("$KAMAILIO" -v 2>/dev/null | awk 'NR==1 { print $2, $3 }' | sed 's/^kamailio/Kamailio/') (Debian package)"
  echo "load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the max rate most)"
  printf '%-10s %-24s %-28s %-16s %-10s %s\n' proxy "highest passing rate" "CPU per call" "proxy CPU" "idle CPU" status
  printf '%-10s %-24s %-28s %-16s %-10s %s\n' "" "(calls/s)" "(@ $CPU_RATE cps, ${CPU_SECS} s)" "(@ $CPU_RATE cps)" "(${IDLE_SECS} s)" ""
  for name in $PROXIES; do
    best=${BEST[$name]:-}; [ -n "$best" ] || best="-"
    [ "${STATUS[$name]}" = ok ] || best="pending"
    top=${RATES##* }
    [ "$best" = "$top" ] && best="$best (top of RATES)"
    cpu="-"; [ -n "${CPU_US[$name]:-}" ] && cpu="${CPU_US[$name]} us"
    [ -n "${CPU_RETR[$name]:-}" ] && cpu="$cpu (${CPU_RETR[$name]} retr)"
    [ "${CPU_OK[$name]:-1}" = 1 ] || cpu="$cpu, LOST CALLS"
    pct="-"; [ -n "${CPU_PCT[$name]:-}" ] && pct="${CPU_PCT[$name]} % of a CPU"
    idle="-"; [ -n "${IDLE_PCT[$name]:-}" ] && idle="${IDLE_PCT[$name]} %"
    printf '%-10s %-24s %-28s %-16s %-10s %s\n' "$name" "$best" "$cpu" "$pct" "$idle" "${STATUS[$name]}"
  done
  for name in $PROXIES; do
    [ -n "${FAIL_INFO[$name]:-}" ] && echo "$name: ${FAIL_INFO[$name]}"
  done
  echo "(a side near 100 % ran out of CPU; both far below: the machine's other load or UDP drops)"
  echo "(CPU per call counts the retransmissions the proxy also forwarded: trust it when 'retr' is ~0)"
  if [ -n "${BEST[sipnatd]:-}" ] && [ -n "${BEST[kamailio]:-}" ]; then
    awk -v a="${BEST[sipnatd]}" -v b="${BEST[kamailio]}" 'BEGIN { printf "ratio sipnatd/kamailio, highest passing rate: %.2f (higher is better)\n", a/b }'
  else
    echo "ratio sipnatd/kamailio, highest passing rate: pending"
  fi
  if [ -n "${CPU_US[sipnatd]:-}" ] && [ -n "${CPU_US[kamailio]:-}" ]; then
    awk -v a="${CPU_US[sipnatd]}" -v b="${CPU_US[kamailio]}" 'BEGIN { if (a > 0) printf "ratio sipnatd/kamailio, CPU per call: %.2f (lower is better; kamailio/sipnatd = %.2fx)\n", a/b, b/a; else print "ratio sipnatd/kamailio, CPU per call: n/a" }'
  else
    echo "ratio sipnatd/kamailio, CPU per call: pending"
  fi
  # CPU per call at every rate both proxies passed cleanly (few retransmissions), from steps.csv
  awk -F, 'NR > 1 && ($2 == "ramp" || $2 == "retry" || $2 == "cpu") && $16 == "pass" && $8 <= $4 / 1000 {
             us[$1 "," $3] = $13 }
           END { n = 0
             for (k in us) { split(k, a, ","); if (a[1] == "sipnatd" && (("kamailio," a[2]) in us)) r[++n] = a[2] + 0 }
             if (!n) exit
             for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
             print "CPU per call at each rate both passed with retransmissions <= 0.1 % of calls:"
             printf "  %8s %12s %12s %18s\n", "calls/s", "sipnatd", "kamailio", "sipnatd/kamailio"
             for (i = 1; i <= n; i++) if (i == 1 || r[i] != r[i-1]) {
               a1 = us["sipnatd," r[i]]; b1 = us["kamailio," r[i]]
               printf "  %8d %9.1f us %9.1f us %18.2f\n", r[i], a1, b1, (b1 > 0 ? a1 / b1 : 0) } }' "$OUT/steps.csv"
  echo "every step: $OUT/steps.csv; logs and SIPp statistics: $OUT/<proxy>/"
} | tee "$OUT/summary.txt"
