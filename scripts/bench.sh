#!/usr/bin/env bash
# ./courier bench outbox [seconds-per-cell] | relay [drain-messages] [seconds-per-rate] [rounds] [--floors]
#                | rocketmq [seconds-per-cell] | notifier [seconds-per-cell] [drain] [pending] [sections]
#                | scaling [relay-drain] [notifier-drain] [rounds] | all:
# builds the bench module (and the relay's and notifier's jars) and runs the chosen benchmark; `all` runs every one
# with its defaults and ends with the goals of all of them (bench/target/bench-results/summary.json and summary.md).
# The console shows progress lines and tables; log lines go to bench/target/bench-results/*.log.
# COURIER_BENCH_OPTS adds JVM options to the benchmark's JVM, e.g. a flight recording of the relay:
#   COURIER_BENCH_OPTS='-Dcourier.bench.relay-jvm=-XX:StartFlightRecording=filename=/tmp/relay.jfr'
#   (-Dcourier.bench.notifier-jvm=... does the same for the notifier's JVM, -Dcourier.bench.kafka-jvm=... for the
#   relay benchmarks' broker; several options at once: -XX:VMOptionsFile=/tmp/relay.opts, one option per line), or
#   -Dcourier.bench.slow-ms=8 to print each message of the relay benchmarks slower than 8 ms with its arrival time,
#   to lay beside GC logs (-Xlog:gc:file=/tmp/relay-gc-%p.log:time in the relay's options).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
which="${1:-outbox}"
./mvnw -B -q -pl bench,relay-service,best-effort-notifier -am install -DskipTests -Dspotless.check.skip=true
cp_file="$ROOT/bench/target/classpath.txt"
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
classpath="$ROOT/bench/target/classes:$(cat "$cp_file")"
run() {
  local main="$1"
  shift
  (cd "$ROOT/bench" && "$JAVA_HOME/bin/java" -Xmx2g ${COURIER_BENCH_OPTS:-} -cp "$classpath" "dev.courier.bench.$main" "$@")
}
case "$which" in
  outbox) run OutboxWriteBench "${2:-10}" ;;
  relay) shift; run RelayBench "${@:-200000}" ;;
  rocketmq) run RocketMqTxBench "${2:-10}" ;;
  notifier) run NotifierBench "${2:-15}" "${3:-30000}" "${4:-1000000}" "${5:-throughput,latency,platform,pending}" ;;
  scaling) run ScalingBench "${2:-100000}" "${3:-30000}" "${4:-3}" ;;
  all)
    # Every benchmark with its default arguments, one after the other; summary.json collects their goals.
    rm -f "$ROOT/bench/target/bench-results/summary.json"
    run OutboxWriteBench 10
    run RelayBench 200000 20 3
    run RocketMqTxBench 10
    run NotifierBench 15 30000 1000000
    run ScalingBench 100000 30000 3
    run BenchSummary ;;
  *)
    echo "Unknown benchmark: $which (available: outbox, relay, rocketmq, notifier, scaling, all)" >&2; exit 2 ;;
esac
