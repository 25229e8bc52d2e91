#!/usr/bin/env bash
# ./courier bench outbox [seconds-per-cell] | relay [drain-messages] [seconds-per-rate] | rocketmq [seconds-per-cell]
#                | notifier [seconds-per-cell] [drain] [pending]:
# builds the bench module (and the relay's and notifier's jars) and runs the chosen benchmark.
# COURIER_BENCH_OPTS adds JVM options to the benchmark's JVM, e.g. a flight recording of the relay:
#   COURIER_BENCH_OPTS='-Dcourier.bench.relay-jvm=-XX:StartFlightRecording=filename=/tmp/relay.jfr'
#   (-Dcourier.bench.notifier-jvm=... does the same for the notifier's JVM)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
which="${1:-outbox}"
./mvnw -B -q -pl bench,relay-service,best-effort-notifier -am install -DskipTests -Dspotless.check.skip=true
cp_file="$ROOT/bench/target/classpath.txt"
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
classpath="$ROOT/bench/target/classes:$(cat "$cp_file")"
case "$which" in
  outbox)
    cd "$ROOT/bench" && "$JAVA_HOME/bin/java" -Xmx2g ${COURIER_BENCH_OPTS:-} -cp "$classpath" dev.courier.bench.OutboxWriteBench "${2:-10}" ;;
  relay)
    cd "$ROOT/bench" && "$JAVA_HOME/bin/java" -Xmx2g ${COURIER_BENCH_OPTS:-} -cp "$classpath" dev.courier.bench.RelayBench \
      "${2:-200000}" "${3:-20}" ;;
  rocketmq)
    cd "$ROOT/bench" && "$JAVA_HOME/bin/java" -Xmx2g ${COURIER_BENCH_OPTS:-} -cp "$classpath" dev.courier.bench.RocketMqTxBench \
      "${2:-10}" ;;
  notifier)
    cd "$ROOT/bench" && "$JAVA_HOME/bin/java" -Xmx2g ${COURIER_BENCH_OPTS:-} -cp "$classpath" dev.courier.bench.NotifierBench \
      "${2:-15}" "${3:-30000}" "${4:-1000000}" ;;
  *)
    echo "Unknown benchmark: $which (available: outbox, relay, rocketmq, notifier)" >&2; exit 2 ;;
esac
