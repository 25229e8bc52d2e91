#!/usr/bin/env bash
# ./courier demo [--orders=N] [--headless] [--database=NAME] [--free-ports] | stop [NAME]
# Builds the services, then runs the demo launcher (examples/courier-demo): Kafka and RocketMQ from their Maven jars,
# the relay, the notifier, the example orders-service and the demo receiver, traffic, and a summary.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${1:-}" = "stop" ]; then
  pid_file="$ROOT/target/demo/${2:-courier_demo}.pid"
  if [ ! -f "$pid_file" ]; then
    echo "No demo is running (no $pid_file)." >&2
    exit 1
  fi
  pid=$(cat "$pid_file")
  echo "Stopping the demo (process $pid) ..." >&2
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
  echo "Stopped." >&2
  exit 0
fi
echo "[courier-demo] building the services (first time: a few minutes) ..." >&2
./mvnw -B -q -pl examples/courier-demo -am install -DskipTests -Dspotless.check.skip=true
cp_file="$ROOT/examples/courier-demo/target/classpath.txt"
./mvnw -B -q -pl examples/courier-demo dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$ROOT/examples/courier-demo/target/classes:$(cat "$cp_file")" \
  dev.courier.example.demo.CourierDemo "$@"
