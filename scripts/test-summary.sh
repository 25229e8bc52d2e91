#!/usr/bin/env bash
# Prints what the last `./courier test` ran, per module, from the surefire and failsafe reports, and the tests that
# failed; exits 1 when any test failed or erred, and with --strict also when a module that has tests ran none.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

attribute() { grep -o -m1 "<testsuite [^>]*" "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]*'; }

strict=0
[ "${1:-}" = "--strict" ] && strict=1
status=0
printf '\n%-34s %7s %7s %7s %7s\n' "module" "tests" "failed" "errors" "skipped"
for module in $(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' pom.xml); do
  reports=$(find "$module/target/surefire-reports" "$module/target/failsafe-reports" -name 'TEST-*.xml' 2>/dev/null)
  tests=0 failed=0 errors=0 skipped=0
  for report in $reports; do
    tests=$((tests + $(attribute "$report" tests)))
    failed=$((failed + $(attribute "$report" failures)))
    errors=$((errors + $(attribute "$report" errors)))
    skipped=$((skipped + $(attribute "$report" skipped)))
  done
  has_tests=$(find "$module/src/test" -name '*Test.java' -o -name '*IT.java' 2>/dev/null | head -n 1)
  note=""
  if [ -n "$has_tests" ] && [ "$tests" -eq 0 ]; then
    note="  <- no test ran"
    [ "$strict" -eq 1 ] && status=1
  fi
  printf '%-34s %7d %7d %7d %7d%s\n' "$module" "$tests" "$failed" "$errors" "$skipped" "$note"
  if [ $((failed + errors)) -gt 0 ]; then
    status=1
    for report in $reports; do
      if [ "$(attribute "$report" failures)" != "0" ] || [ "$(attribute "$report" errors)" != "0" ]; then
        awk 'match($0, /<testcase name="[^"]*" classname="[^"]*"/) {
               split(substr($0, RSTART, RLENGTH), part, "\"")
               test = part[4] "." part[2]
             }
             /<failure|<error/ { if (test != "") { print "    failed: " test; test = "" } }' "$report" | head -n 20
      fi
    done
  fi
done
if [ "$status" -eq 0 ]; then
  echo "All tests passed."
else
  echo "Some tests failed or did not run (above); the reports are under <module>/target/*-reports."
fi
exit "$status"
