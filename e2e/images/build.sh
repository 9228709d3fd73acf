#!/usr/bin/env bash
# Builds the images the e2e suite runs, offline, from the project's own recipes (docs/e2e.md):
#   1. a Debian bookworm base with the JRE and R (cached in the image store by a hash of its inputs);
#   2. per Spark line (3.5, 4.2), e2e/images/spark-base: the stand-in for the official Spark R image,
#      that line's Spark jars from Maven Central (cached by a hash of its Dockerfile and jars);
#   3. per line, images/r-executor/Dockerfile over it with that line's build-args, without the CRAN
#      step (SPARKLYR_VERSION empty);
#   4. operator/Dockerfile over the Debian base.
# Images go through ../shared/k8s/image.sh into its buildah store and, when a node runs
# (NODEKIT_STATE or RSPARK_K8S_STATE names its state dir), into the node. Needs the build outputs of
# `mvn -B verify` (or `mvn -B -DskipTests package` plus the bridge modules' spark-home, see
# docs/e2e.md).
#
#   e2e/images/build.sh            # prints the image names as executor=…, executor-4.2=… and operator=… lines
#
# Env: RSPARK_E2E_TAG (default e2e), RSPARK_SHARED (default ../shared beside the repository),
# NODEKIT_STORAGE (the kit's buildah store, default ~/.cache/nodekit/storage, as image.sh has it).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
shared=${RSPARK_SHARED:-$repo/../shared}
image_sh=$shared/k8s/image.sh
storage=${NODEKIT_STORAGE:-$HOME/.cache/nodekit/storage}
tag=${RSPARK_E2E_TAG:-e2e}
operator=localhost/rspark/rspark-operator:$tag

log() { printf 'e2e-images: %s\n' "$*" >&2; }
fail() {
  log "$*"
  exit 1
}

[[ -r $image_sh ]] || fail "no $image_sh: the k8s kit (../shared/k8s) must sit beside the repository"

# The value of <NAME> in the parent pom.
pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$repo/pom.xml" | head -n 1
}

# Whether the kit's image store already holds NAME:TAG.
stored() {
  buildah --root "$storage/root" --runroot "$storage/run" --storage-driver overlay \
    inspect --type image "$1" >/dev/null 2>&1
}

# A short, stable name for what went into an image.
digest() { sha256sum | cut -c1-16; }

# The value of one --build-arg of images/r-executor/build-args for a line.
build_arg() {
  bash "$repo/images/r-executor/build-args" "$1" | sed -n "s:^--build-arg=$2=::p"
}

# The build output of a line's bridge module: rspark-bridge.jar and spark-home/jars.
line_target() {
  echo "$repo/images/r-executor/$(build_arg "$1" BRIDGE_MODULE)/target"
}

# Everything packed below must have been built: say what is missing before building anything.
spark_3_5=$(pom_property spark.version)
spark_4_2=$(pom_property spark4.version)
[[ -n $spark_3_5 && -n $spark_4_2 ]] || fail "no <spark.version> or <spark4.version> in $repo/pom.xml"
for built in "$(line_target 3.5)/spark-home/jars/spark-core_2.12-$spark_3_5.jar" \
  "$(line_target 4.2)/spark-home/jars/spark-core_2.13-$spark_4_2.jar" \
  "$(line_target 3.5)/rspark-bridge.jar" \
  "$(line_target 4.2)/rspark-bridge.jar" \
  "$repo/operator/target/rspark-operator.jar"; do
  [[ -f $built ]] || fail "$built is missing: run mvn -B verify first (docs/e2e.md)"
done

base_packages=(openjdk-17-jre-headless r-base-core)
base=localhost/rspark-ci/debian-jre-r:$(printf '%s\n' bookworm "${base_packages[@]}" | digest)
if stored "$base"; then
  log "$base is cached"
else
  bash "$image_sh" debian "$base" "${base_packages[@]}"
fi

contexts=()
cleanup() { rm -rf "${contexts[@]}"; }
trap cleanup EXIT

# The executor image of one Spark line, named on stdout.
executor_image() {
  local line=$1 spark_version=$2 image=$3
  local jars
  jars=$(line_target "$line")/spark-home/jars
  local recipe=$repo/e2e/images/spark-base/Dockerfile
  local spark_base
  spark_base=localhost/rspark-ci/spark-r:$spark_version-$(
    {
      cat "$recipe"
      printf '%s\n' "$base"
      (cd "$jars" && find . -type f -printf '%p %s\n' | LC_ALL=C sort)
    } | digest
  )
  if stored "$spark_base"; then
    log "$spark_base is cached"
  else
    local context
    context=$(mktemp -d "${TMPDIR:-/tmp}/rspark-spark-base.XXXXXX")
    contexts+=("$context")
    cp "$recipe" "$context/Dockerfile"
    cp -r "$jars" "$context/jars"
    bash "$image_sh" build "$spark_base" "$context" --from "$base"
  fi

  local args
  mapfile -t args < <(bash "$repo/images/r-executor/build-args" "$line" | grep -v '^--build-arg=SPARKLYR_VERSION=')
  # The CRAN step (sparklyr, dplyr, dbplyr) needs the internet: an empty SPARKLYR_VERSION leaves it out.
  bash "$image_sh" build "$image" "$repo/images/r-executor" --from "$spark_base" \
    "${args[@]}" --build-arg=SPARKLYR_VERSION=
}

executor=localhost/rspark/r-executor:$tag
executor_4_2=localhost/rspark/r-executor:$tag-4.2
executor_image 3.5 "$spark_3_5" "$executor"
executor_image 4.2 "$spark_4_2" "$executor_4_2"
bash "$image_sh" build "$operator" "$repo/operator" --from "$base"

printf 'executor=%s\nexecutor-4.2=%s\noperator=%s\n' "$executor" "$executor_4_2" "$operator"
