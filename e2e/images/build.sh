#!/usr/bin/env bash
# Builds the images the e2e suite runs, offline, from the project's own recipes (docs/e2e.md):
#   1. a Debian bookworm base with the JRE and R (cached in the image store by a hash of its inputs);
#   2. e2e/images/spark-base: the stand-in for the official Spark R image, Spark's jars from Maven
#      Central (cached by a hash of its Dockerfile and jars);
#   3. images/r-executor/Dockerfile over it, without the CRAN step (SPARKLYR_VERSION empty);
#   4. operator/Dockerfile over the Debian base.
# Images go through ../shared/k8s/image.sh into its buildah store and, when a node runs
# (NODEKIT_STATE or RSPARK_K8S_STATE names its state dir), into the node. Needs the build outputs of
# `mvn -B verify` (or `mvn -B -DskipTests package` plus the bridge's spark-home, see docs/e2e.md).
#
#   e2e/images/build.sh            # prints the image names as executor=… and operator=… lines
#
# Env: RSPARK_E2E_TAG (default e2e), RSPARK_SHARED (default ../shared beside the repository),
# NODEKIT_STORAGE (the kit's buildah store, default ~/.cache/nodekit/storage, as image.sh has it).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
shared=${RSPARK_SHARED:-$repo/../shared}
image_sh=$shared/k8s/image.sh
storage=${NODEKIT_STORAGE:-$HOME/.cache/nodekit/storage}
tag=${RSPARK_E2E_TAG:-e2e}
executor=localhost/rspark/r-executor:$tag
operator=localhost/rspark/rspark-operator:$tag

log() { printf 'e2e-images: %s\n' "$*" >&2; }
fail() {
  log "$*"
  exit 1
}

[[ -r $image_sh ]] || fail "no $image_sh: the k8s kit (../shared/k8s) must sit beside the repository"

spark_version=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$repo/pom.xml" | head -n 1)
[[ -n $spark_version ]] || fail "no <spark.version> in $repo/pom.xml"
jars=$repo/images/r-executor/bridge/target/spark-home/jars
for built in "$jars/spark-core_2.12-$spark_version.jar" \
  "$repo/images/r-executor/bridge/target/rspark-bridge.jar" \
  "$repo/operator/target/rspark-operator.jar"; do
  [[ -f $built ]] || fail "$built is missing: run mvn -B verify first (docs/e2e.md)"
done

# Whether the kit's image store already holds NAME:TAG.
stored() {
  buildah --root "$storage/root" --runroot "$storage/run" --storage-driver overlay \
    inspect --type image "$1" >/dev/null 2>&1
}

# A short, stable name for what went into an image.
digest() { sha256sum | cut -c1-16; }

base_packages=(openjdk-17-jre-headless r-base-core)
base=localhost/rspark-ci/debian-jre-r:$(printf '%s\n' bookworm "${base_packages[@]}" | digest)
if stored "$base"; then
  log "$base is cached"
else
  bash "$image_sh" debian "$base" "${base_packages[@]}"
fi

spark_base_recipe=$repo/e2e/images/spark-base/Dockerfile
spark_base=localhost/rspark-ci/spark-r:$spark_version-$(
  {
    cat "$spark_base_recipe"
    printf '%s\n' "$base"
    (cd "$jars" && find . -type f -printf '%p %s\n' | LC_ALL=C sort)
  } | digest
)
if stored "$spark_base"; then
  log "$spark_base is cached"
else
  context=$(mktemp -d "${TMPDIR:-/tmp}/rspark-spark-base.XXXXXX")
  trap 'rm -rf "$context"' EXIT
  cp "$spark_base_recipe" "$context/Dockerfile"
  cp -r "$jars" "$context/jars"
  bash "$image_sh" build "$spark_base" "$context" --from "$base"
fi

# The CRAN step (sparklyr, dplyr, dbplyr) needs the internet: an empty SPARKLYR_VERSION leaves it out.
bash "$image_sh" build "$executor" "$repo/images/r-executor" --from "$spark_base" \
  --build-arg SPARKLYR_VERSION=
bash "$image_sh" build "$operator" "$repo/operator" --from "$base"

printf 'executor=%s\noperator=%s\n' "$executor" "$operator"
