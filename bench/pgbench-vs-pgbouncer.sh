#!/usr/bin/env bash
# pgbench select-only (-S) and TPC-B-like, -M simple and -M prepared, at CLIENTS clients, against one PostgreSQL
# database three ways in one run:
#   direct     pgbench -> PostgreSQL
#   pgbouncer  pgbench -> PgBouncer (pool_mode=transaction) -> PostgreSQL
#   shardgate  pgbench -> shardgate proxy (one-shard config, pool-mode transaction) -> PostgreSQL
# The script starts its own PostgreSQL cluster (initdb/pg_ctl from `pg_config --bindir`, as the postgres user when
# run as root) on a free port in a temporary directory, PgBouncer and the proxy on free ports, and stops and removes
# all of them at the end, also after a failure or Ctrl-C.
#
# Each script/mode cell warms every target up once, then runs ROUNDS rounds; a round runs every target for DURATION
# seconds, in an order that rotates from round to round, so that drifts in the machine's speed (a shared VM's) hit
# every target alike. The summary gives the median TPS over the rounds, mean and p99 latency over all rounds'
# transactions, and for PgBouncer and shardgate the CPU their process used per transaction (from /proc).
# Before the first cell shardgate gets JIT_WARMUP seconds of load: a JVM compiles its hot path under load (measured
# with one event loop: the C2 compiler thread used ~4.7 s of CPU in the first 60 s, next to nothing after).
#
# Usage: bench/pgbench-vs-pgbouncer.sh [KEY=VALUE ...]     e.g. ROUNDS=1 DURATION=5 WARMUP=2 JIT_WARMUP=5 (smoke run)
#   CLIENTS=8 THREADS=2 ROUNDS=3 DURATION=10 WARMUP=5 JIT_WARMUP=60 SCALE=10 POOL=8 MODES="simple prepared"
#   SCRIPTS="select tpcb"
#   SG_WORKERS=<proxy.workers: shardgate's event-loop threads; default: the proxy's default, one per core>
#   JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseTransparentHugePages" (huge pages only where the kernel offers them)
#   JFR=1 (records proxy.jfr of the shardgate process into OUT)  KEEP=1 (keep OUT)
#   OUT=<dir for logs, per-transaction latency logs and the summary; default a temp dir, printed at the end>
# Needs: PostgreSQL server binaries and pgbench, pgbouncer (apt-get install -y pgbouncer), java 17,
#        proxy-server/target/shardgate-*.jar (built with mvn -B -o -q -pl proxy-server -am package -DskipTests
#        when missing).
set -euo pipefail

CLIENTS=8 THREADS=2 ROUNDS=3 DURATION=10 WARMUP=5 JIT_WARMUP=60 SCALE=10 POOL=8 MODES="simple prepared"
SCRIPTS="select tpcb"
# the JVM options ./shardgate uses by default (transparent huge pages where the kernel offers them), fixed heap
THP_OPT=$(grep -qs '\[\(madvise\|always\)\]' /sys/kernel/mm/transparent_hugepage/enabled && echo "-XX:+UseTransparentHugePages")
SG_WORKERS="" JAVA_OPTS="-Xms512m -Xmx512m $THP_OPT" JFR=0 KEEP=0 OUT=""
for kv in "$@"; do
    case "$kv" in
        *=*) declare "${kv%%=*}=${kv#*=}" ;;
        *) echo "usage: $0 [KEY=VALUE ...] (see the header)" >&2; exit 2 ;;
    esac
done

ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
BINDIR=$(pg_config --bindir 2>/dev/null || true)
[ -x "$BINDIR/initdb" ] || BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$BINDIR/initdb" ] || { echo "PostgreSQL server binaries not found (pg_config --bindir)" >&2; exit 1; }
PGBENCH="$BINDIR/pgbench"; [ -x "$PGBENCH" ] || PGBENCH=$(command -v pgbench)
PSQL="$BINDIR/psql"; [ -x "$PSQL" ] || PSQL=$(command -v psql)
PGBOUNCER=$(command -v pgbouncer || true)
[ -n "$PGBOUNCER" ] || { echo "pgbouncer not found: apt-get install -y pgbouncer" >&2; exit 1; }

JAR=$(ls "$ROOT_DIR"/proxy-server/target/shardgate-*.jar 2>/dev/null | head -1 || true)
if [ -z "$JAR" ]; then
    (cd "$ROOT_DIR" && mvn -B -o -q -pl proxy-server -am package -DskipTests)
    JAR=$(ls "$ROOT_DIR"/proxy-server/target/shardgate-*.jar | head -1)
fi

# as_pg CMD...: runs CMD as the postgres OS user when we are root (initdb, postgres and pgbouncer refuse root)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d /tmp/sg-pgbench.XXXXXX)
[ -n "$OUT" ] || OUT="$WORK/out"
mkdir -p "$OUT" "$WORK/data" "$WORK/sock"
if [ "$(id -u)" = 0 ]; then chown -R postgres: "$WORK" && chmod 755 "$WORK" && chmod 777 "$OUT"; fi  # postgres writes its logs there
PROXY_PID="" BOUNCER_PID="" PG_STARTED=0

cleanup() {
    local rc=$?
    set +e
    [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
    [ -n "$BOUNCER_PID" ] && kill "$BOUNCER_PID" 2>/dev/null && sleep 0.5 && kill -9 "$BOUNCER_PID" 2>/dev/null
    [ "$PG_STARTED" = 1 ] && as_pg "$BINDIR/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1
    if [[ "$OUT" == "$WORK"/* ]] && { [ "$KEEP" = 1 ] || [ "$JFR" = 1 ]; }; then
        rm -rf "$WORK/data" "$WORK"/tx-*; echo "logs kept in $OUT"
    else
        rm -rf "$WORK"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PG_PORT=$(free_port)
echo "== PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($WORK/data)"
as_pg "$BINDIR/initdb" -D "$WORK/data" -A trust -U postgres -E UTF8 --locale=C >"$OUT/initdb.log" 2>&1
as_pg "$BINDIR/pg_ctl" -D "$WORK/data" -l "$OUT/postgres.log" -w -t 60 start \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/sock -c max_connections=100" >/dev/null
PG_STARTED=1
"$PSQL" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE bench"
echo "== pgbench -i -s $SCALE (directly)"
"$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -i -s "$SCALE" -q bench >"$OUT/init.log" 2>&1 \
    || { cat "$OUT/init.log"; exit 1; }

# PgBouncer, transaction pooling, trust
BOUNCER_PORT=$(free_port)
BVER=$("$PGBOUNCER" --version | awk 'NR==1 {print $2}')
BOUNCER_PREPARED=0  # prepared statements in transaction pooling: PgBouncer 1.21+ with max_prepared_statements > 0
[ "$(printf '%s\n1.21.0\n' "$BVER" | sort -V | head -1)" = 1.21.0 ] && BOUNCER_PREPARED=1
cat >"$WORK/pgbouncer.ini" <<EOF
[databases]
bench = host=127.0.0.1 port=$PG_PORT dbname=bench user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $WORK/userlist.txt
pool_mode = transaction
default_pool_size = $POOL
max_client_conn = 200
logfile = $OUT/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
$( [ "$BOUNCER_PREPARED" = 1 ] && echo "max_prepared_statements = 200" )
EOF
echo '"postgres" ""' >"$WORK/userlist.txt"
if [ "$(id -u)" = 0 ]; then chown postgres: "$WORK/pgbouncer.ini" "$WORK/userlist.txt"; fi
as_pg "$PGBOUNCER" -d "$WORK/pgbouncer.ini"
for _ in $(seq 1 50); do [ -s "$WORK/pgbouncer.pid" ] && break; sleep 0.1; done
BOUNCER_PID=$(cat "$WORK/pgbouncer.pid")
echo "== PgBouncer $BVER on 127.0.0.1:$BOUNCER_PORT (pool_mode=transaction, default_pool_size=$POOL$(
    [ "$BOUNCER_PREPARED" = 1 ] && echo ", max_prepared_statements=200"))"

# shardgate, one shard, transaction pooling, trust
SG_PORT=$(free_port)
cat >"$WORK/shardgate.yaml" <<EOF
databases:
  s0-primary: { url: "jdbc:postgresql://127.0.0.1:$PG_PORT/bench", user: postgres, password: "" }
shards:
  s0: { primary: s0-primary }
default-shard: s0
pool: { maximum-size: $POOL, connection-timeout: 10s }
proxy:
  listen: 127.0.0.1:$SG_PORT
  pool-mode: transaction
  auth: trust
$( [ -n "$SG_WORKERS" ] && echo "  workers: $SG_WORKERS" )
EOF
JFR_OPTS=""
[ "$JFR" = 1 ] && JFR_OPTS="-XX:+FlightRecorder -XX:StartFlightRecording=filename=$OUT/proxy.jfr,settings=profile,dumponexit=true"
# shellcheck disable=SC2086
# in a session of its own, as PgBouncer (-d) is: with the kernel's autogroup scheduling a process shares its CPU
# share with its session, and the proxy must not share pgbench's (nor get more than PgBouncer does)
setsid java $JAVA_OPTS $JFR_OPTS -jar "$JAR" proxy --config "$WORK/shardgate.yaml" >"$OUT/shardgate.log" 2>&1 &
PROXY_PID=$!
echo "== shardgate $(basename "$JAR") on 127.0.0.1:$SG_PORT (pool-mode transaction, pool maximum-size $POOL, workers ${SG_WORKERS:-default}; java $JAVA_OPTS)"

wait_port() { # port name
    for _ in $(seq 1 150); do
        "$PSQL" -X -q -h 127.0.0.1 -p "$1" -U postgres -d bench -Atc "SELECT 1" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    echo "$2 did not come up on port $1" >&2; tail -20 "$OUT/$2.log" >&2; exit 1
}
wait_port "$BOUNCER_PORT" pgbouncer
wait_port "$SG_PORT" shardgate

declare -A PORT=([direct]=$PG_PORT [pgbouncer]=$BOUNCER_PORT [shardgate]=$SG_PORT)
declare -A PID_OF=([pgbouncer]=$BOUNCER_PID [shardgate]=$PROXY_PID)
declare -A TPS MEAN P99 CPU ROUND_TPS

# run TARGET SCRIPT MODE SECONDS LOGPREFIX: one pgbench run; per-transaction log (-l) when LOGPREFIX is set
run_pgbench() {
    local target=$1 script=$2 mode=$3 secs=$4 prefix=$5 args=()
    [ "$script" = select ] && args+=(-S)
    [ -n "$prefix" ] && args+=(-l --log-prefix="$prefix")
    (cd "$WORK" && "$PGBENCH" -h 127.0.0.1 -p "${PORT[$target]}" -U postgres -n -M "$mode" -c "$CLIENTS" -j "$THREADS" \
        -T "$secs" "${args[@]}" bench)
}
# cpu_ticks PID: user+system clock ticks the process has used
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
median() { tr ' ' '\n' | grep -E '^[0-9]+$' | sort -n | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]; else print "failed"}'; }

TARGETS=(direct pgbouncer shardgate)
if [ "$JIT_WARMUP" -gt 0 ]; then
    echo "== shardgate JIT warm-up: ${JIT_WARMUP}s of load before the first measurement"
    for mode in $MODES; do
        run_pgbench shardgate select "$mode" $(( (JIT_WARMUP + 1) / $(wc -w <<<"$MODES") )) "" >"$OUT/jit-warmup-$mode.log" 2>&1 || true
    done
fi
for script in $SCRIPTS; do
    for mode in $MODES; do
        targets=()
        for target in "${TARGETS[@]}"; do
            cell="$script/$mode/$target"
            if [ "$target" = pgbouncer ] && [ "$mode" = prepared ] && [ "$BOUNCER_PREPARED" = 0 ]; then
                TPS[$cell]=n/a MEAN[$cell]=n/a P99[$cell]=n/a CPU[$cell]=n/a
                continue
            fi
            targets+=("$target")
            [ "$script" = tpcb ] && "$PSQL" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d bench \
                -c "TRUNCATE pgbench_history" -c "VACUUM ANALYZE pgbench_branches, pgbench_tellers, pgbench_history"
            [ "$WARMUP" -gt 0 ] && run_pgbench "$target" "$script" "$mode" "$WARMUP" "" >"$OUT/warmup-${script}-${mode}-${target}.log" 2>&1
            rm -rf "$WORK/tx-$target" && mkdir "$WORK/tx-$target"
            ROUND_TPS[$cell]="" CPU[$cell]=0 TXNS=0
            declare -g "TXNS_${target}=0"
        done
        echo "== $script -M $mode: $ROUNDS rounds of ${DURATION}s per target (${targets[*]}), warm-up ${WARMUP}s"
        for round in $(seq 1 "$ROUNDS"); do
            line="   round $round:"
            n=${#targets[@]}
            for k in $(seq 0 $((n - 1))); do
                target=${targets[$(( (k + round - 1) % n ))]}
                cell="$script/$mode/$target"
                log="$OUT/${script}-${mode}-${target}-r$round.log"
                pid=${PID_OF[$target]:-}
                t0=0; [ -n "$pid" ] && t0=$(cpu_ticks "$pid")
                if run_pgbench "$target" "$script" "$mode" "$DURATION" "$WORK/tx-$target/r$round" >"$log" 2>&1 \
                    && grep -q "number of failed transactions: 0 " "$log"; then
                    tps=$(awk '/^tps = / {printf "%.0f", $3}' "$log")
                    txns=$(awk '/number of transactions actually processed/ {split($6, a, "/"); print a[1]}' "$log")
                    if [ -n "$pid" ]; then
                        CPU[$cell]=$(( ${CPU[$cell]} + $(cpu_ticks "$pid") - t0 ))
                        declare -g "TXNS_${target}=$(( TXNS_${target} + txns ))"
                    fi
                else
                    tps=failed; echo "   $target failed:"; tail -5 "$log"
                fi
                ROUND_TPS[$cell]="${ROUND_TPS[$cell]} $tps"
                line="$line $target $tps"
            done
            echo "$line"
        done
        for target in "${targets[@]}"; do
            cell="$script/$mode/$target"
            TPS[$cell]=$(median <<<"${ROUND_TPS[$cell]}")
            ticks=${CPU[$cell]} txn_var="TXNS_${target}"
            if [ -n "${PID_OF[$target]:-}" ] && [ "${!txn_var}" -gt 0 ]; then
                CPU[$cell]=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="${!txn_var}" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
            else
                CPU[$cell]=-
            fi
            # per-transaction logs: field 3 is the latency in microseconds
            if compgen -G "$WORK/tx-$target/r*" >/dev/null; then
                read -r "MEAN[$cell]" "P99[$cell]" < <(cat "$WORK/tx-$target"/r* | awk '{print $3}' | sort -n | awk '
                    { v[NR] = $1; s += $1 }
                    END { i = int(NR * 0.99); if (i < NR * 0.99) i++; if (i < 1) i = 1;
                          printf "%.3f %.3f\n", s / NR / 1000, v[i] / 1000 }')
            else
                MEAN[$cell]=- P99[$cell]=-
            fi
            echo "   $target: median tps ${TPS[$cell]}, mean ${MEAN[$cell]} ms, p99 ${P99[$cell]} ms, CPU ${CPU[$cell]} us/txn"
        done
    done
done

ratio() { # a b -> a/b or n/a
    if [[ "$1" =~ ^[0-9.]+$ && "$2" =~ ^[0-9.]+$ ]] && [ "$2" != 0 ]; then awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; else echo n/a; fi
}
{
    echo
    echo "pgbench -c $CLIENTS -j $THREADS, $ROUNDS rounds x ${DURATION}s per target (warm-up ${WARMUP}s, shardgate JIT warm-up ${JIT_WARMUP}s), scale $SCALE, pool size $POOL;" \
         "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}'), PgBouncer $BVER, $(basename "$JAR") (workers ${SG_WORKERS:-default});" \
         "$(nproc) CPUs, load average before the summary: $(cut -d' ' -f1-3 /proc/loadavg)"
    printf '%-8s %-9s %-10s %10s %10s %10s %12s %14s %14s\n' script mode target "median TPS" "mean ms" "p99 ms" "CPU us/txn" "sg/pgbouncer" "sg/direct"
    for script in $SCRIPTS; do
        for mode in $MODES; do
            for target in direct pgbouncer shardgate; do
                c="$script/$mode/$target" r1="" r2=""
                if [ "$target" = shardgate ]; then
                    r1=$(ratio "${TPS[$c]}" "${TPS[$script/$mode/pgbouncer]}")
                    r2=$(ratio "${TPS[$c]}" "${TPS[$script/$mode/direct]}")
                fi
                printf '%-8s %-9s %-10s %10s %10s %10s %12s %14s %14s\n' "$script" "$mode" "$target" "${TPS[$c]}" "${MEAN[$c]}" "${P99[$c]}" "${CPU[$c]}" "$r1" "$r2"
            done
        done
    done
    for mode in $MODES; do
        case " $SCRIPTS " in *" select "*) ;; *) continue ;; esac
        sg=${TPS[select/$mode/shardgate]} pb=${TPS[select/$mode/pgbouncer]} di=${TPS[select/$mode/direct]}
        t1=n/a t2=n/a
        [[ "$sg" =~ ^[0-9]+$ && "$pb" =~ ^[0-9]+$ ]] && t1=$([ "$sg" -ge "$pb" ] && echo met || echo MISSED)
        [[ "$sg" =~ ^[0-9]+$ && "$di" =~ ^[0-9]+$ ]] && t2=$(awk -v a="$sg" -v b="$di" 'BEGIN {print (a >= 0.7 * b) ? "met" : "MISSED"}')
        # what a proxy costs against direct depends on the machine (how dear a system call is): PgBouncer's own ratio
        echo "target select-only -M $mode: shardgate >= PgBouncer: $t1; shardgate >= 0.7x direct: $t2" \
             "(PgBouncer: $(ratio "$pb" "$di") direct)"
    done
    [ "$BOUNCER_PREPARED" = 0 ] && echo "n/a: PgBouncer $BVER < 1.21 has no prepared-statement support in transaction pooling"
} | tee "$OUT/summary.txt"
if [ "$JFR" = 1 ]; then
    kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true; PROXY_PID=""
    echo "JFR recording of the proxy: $OUT/proxy.jfr"
fi
exit 0
