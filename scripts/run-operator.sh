#!/usr/bin/env bash
# Builds the operator and runs it against the current kube context (KUBECONFIG or ~/.kube/config),
# installing the RSparkCluster CRD first.
#
#   scripts/run-operator.sh                               # build and run
#   scripts/run-operator.sh -Drspark.reconcile-threads=2  # -D/-X arguments are JVM options
#   RSPARK_WATCH_NAMESPACES=dev scripts/run-operator.sh   # options also come from the environment
#   scripts/run-operator.sh --help                        # every option, its variable and default
#
# Other arguments go to the operator. JAVA_OPTS adds JVM options; SKIP_BUILD=1 reuses the last jar.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -DskipTests package -pl operator -am
fi

jvm_args=()
if [[ -n "${JAVA_OPTS:-}" ]]; then
  read -r -a jvm_args <<<"$JAVA_OPTS"
fi
app_args=()
for arg in "$@"; do
  case "$arg" in
    -D* | -X*) jvm_args+=("$arg") ;;
    *) app_args+=("$arg") ;;
  esac
done

export RSPARK_INSTALL_CRDS="${RSPARK_INSTALL_CRDS:-true}"
exec java ${jvm_args[@]+"${jvm_args[@]}"} -jar operator/target/rspark-operator.jar \
  ${app_args[@]+"${app_args[@]}"}
