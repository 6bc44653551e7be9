#!/usr/bin/env bash
# Builds every image of the repository from its own Dockerfile into the caller's podman image store (root's, run as
# root): the webhook, the proxy and proxy-init (docker/*.Dockerfile) tagged as the chart, the manifest and the
# webhook's defaults name them (ghcr.io/azure-workload-identity-dotnet/<name>:<chart appVersion>), and every sample
# with a Dockerfile (examples/<folder>/Dockerfile) as ghcr.io/azure-workload-identity-dotnet/<folder>:latest.
#
# No container registry is needed: the public base images the Dockerfiles name by default are replaced, through
# their build arguments, by local stand-ins built here (docker/stand-ins/): a Debian 12 root file system made with
# debootstrap, an SDK image (that base + this machine's .NET SDK + clang), a runtime-deps image (libraries only, no
# shell) and a runtime image (runtime-deps + this machine's .NET runtime). They stay in the image store, so later
# runs reuse them and every layer; each run still re-creates every tag. Restore runs inside the builds, which use
# the host network (NuGet and the Debian mirror must be reachable).
#
# Usage: scripts/build-images.sh [--list] [NAME...]   (NAME: webhook, proxy, proxy-init or a sample folder)
# Installs podman, runc and debootstrap with apt-get when they are missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."

readonly REGISTRY=ghcr.io/azure-workload-identity-dotnet
readonly STAND_IN=localhost/azwi-stand-in
readonly DEBIAN_SUITE=bookworm

fail() {
  echo "build-images: $*" >&2
  exit 1
}

# The tag of the product images is the chart's appVersion, which the chart's values, the rendered manifest and the
# webhook's default proxy image version repeat (a Deployment test checks that they agree).
product_version() {
  local version
  version=$(awk '$1 == "appVersion:" { gsub(/"/, "", $2); print $2; exit }' charts/workload-identity-webhook/Chart.yaml)
  [ -n "$version" ] || fail "no appVersion in charts/workload-identity-webhook/Chart.yaml; add the image tag there."
  echo "$version"
}

# Every image: "<name>|<Dockerfile>|<tag>". Samples are found, not listed, so a new examples/<folder>/Dockerfile is
# built without changing this script.
image_table() {
  local version
  version=$(product_version)
  local name
  for name in webhook proxy proxy-init; do
    echo "${name}|docker/${name}.Dockerfile|${REGISTRY}/${name}:${version}"
  done
  local dockerfile
  for dockerfile in examples/*/Dockerfile; do
    [ -f "$dockerfile" ] || continue
    name=$(basename "$(dirname "$dockerfile")")
    echo "${name}|${dockerfile}|${REGISTRY}/${name}:latest"
  done
}

ensure_tools() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || fail "missing ${missing[*]}; install them as root: apt-get install -y ${missing[*]}"
  echo "build-images: installing ${missing[*]} with apt-get" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed; run it by hand to see why."
}

# The Debian mirror this machine's apt uses for the suite (deb822 *.sources first, then sources.list).
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  local mirror=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    mirror=$(awk -v suite="$DEBIAN_SUITE" '
      /^[[:space:]]*$/ { uri = ""; suites = ""; next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { suites = " " $0 " " }
      uri != "" && index(suites, " " suite " ") { print uri; exit }' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror=$(awk -v suite="$DEBIAN_SUITE" '$1 == "deb" {
      for (i = 2; i < NF; i++) if ($i ~ /^[a-z+]+:\/\// && $(i + 1) == suite) { print $i; exit } }' /etc/apt/sources.list)
  fi
  [ -n "$mirror" ] || fail "no Debian ${DEBIAN_SUITE} mirror in the apt sources; set DEBIAN_MIRROR=<URL of a Debian mirror>."
  echo "$mirror"
}

# nofile/nproc limits for containers, given explicitly: podman's defaults (1048576 open files) exceed what these
# machines allow, and setrlimit fails (so do nproc limits above 32768). 16384 of each, or the caller's hard limit.
ulimit_flags() {
  local nofile nproc
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  if [ "$nofile" = unlimited ] || [ "$nofile" -gt 16384 ]; then nofile=16384; fi
  if [ "$nproc" = unlimited ] || [ "$nproc" -gt 16384 ]; then nproc=16384; fi
  echo "--ulimit nofile=${nofile}:${nofile} --ulimit nproc=${nproc}:${nproc}"
}

# runc, not crun: crun fails on these machines' hybrid cgroups. The host network reaches NuGet and the mirror.
podman_build() {
  local flags
  read -r -a flags <<<"$(ulimit_flags)"
  podman build --runtime "$(command -v runc)" "${flags[@]}" --network host --pull=never --layers "$@"
}

image_size() {
  podman image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.1f MB", $1 / 1000000 }'
}

# The Debian base is made once and kept in the image store; delete the image to make it again.
ensure_debian_base() {
  local image="${STAND_IN}/debian:${DEBIAN_SUITE}"
  if podman image exists "$image"; then
    return
  fi
  local mirror rootfs
  mirror=$(debian_mirror)
  rootfs=$(mktemp -d)
  echo "build-images: making ${image} with debootstrap from ${mirror} (about a minute, once)" >&2
  if ! debootstrap --variant=minbase "$DEBIAN_SUITE" "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
    tail -n 5 "$rootfs.log" >&2
    rm -rf "$rootfs" "$rootfs.log"
    fail "debootstrap of ${DEBIAN_SUITE} from ${mirror} failed (last lines above); check the mirror or set DEBIAN_MIRROR."
  fi
  # Trimmed like the public bookworm-slim image: no package lists, documentation (copyright files kept), manual
  # pages or translations, and dpkg told to skip them in later installs too.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs.log" \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  find "$rootfs"/usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs"/usr/share/doc -mindepth 1 -type d -empty -delete
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' \
    'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' >"$rootfs"/etc/dpkg/dpkg.cfg.d/slim
  tar -C "$rootfs" -c . | podman import --quiet - "$image" >/dev/null
  rm -rf "$rootfs"
}

dotnet_root() {
  command -v dotnet >/dev/null 2>&1 || fail "no dotnet on PATH; the SDK stand-in copies this machine's .NET SDK (install the .NET 10 SDK)."
  dirname "$(readlink -f "$(command -v dotnet)")"
}

build_stand_ins() {
  ensure_debian_base
  local dotnet
  dotnet=$(dotnet_root)
  echo "build-images: stand-in base images (${STAND_IN}/*)" >&2
  local trust=()
  if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
    trust+=(--volume /usr/local/share/ca-certificates:/mnt/host-ca-certificates:ro)
    trust+=(--build-arg "HOST_CA_DIGEST=$(cat /usr/local/share/ca-certificates/* | sha256sum | cut -c1-16)")
  fi
  [ -z "${NUGET_CERT_REVOCATION_MODE:-}" ] || trust+=(--build-arg "NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE}")
  podman_build --quiet -f docker/stand-ins/sdk.Dockerfile "${trust[@]}" \
    --build-arg "BASE_IMAGE=${STAND_IN}/debian:${DEBIAN_SUITE}" -t "${STAND_IN}/dotnet-sdk:local" "$dotnet" >/dev/null
  podman_build --quiet -f docker/stand-ins/runtime-deps.Dockerfile \
    --build-arg "BASE_IMAGE=${STAND_IN}/debian:${DEBIAN_SUITE}" -t "${STAND_IN}/dotnet-runtime-deps:local" . >/dev/null
  podman_build --quiet -f docker/stand-ins/runtime.Dockerfile \
    --build-arg "RUNTIME_DEPS_IMAGE=${STAND_IN}/dotnet-runtime-deps:local" -t "${STAND_IN}/dotnet-runtime:local" "$dotnet" >/dev/null
  build_node_stand_in "${trust[@]}"
}

# The Node.js stand-in: the Debian base plus this machine's node and npm (copied into a scratch build context).
build_node_stand_in() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
    || fail "no node or npm on PATH; the Node.js stand-in copies this machine's Node.js (run: bash scripts/install-prereqs.sh)."
  local context
  context=$(mktemp -d)
  cp "$(readlink -f "$(command -v node)")" "$context/node"
  cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$context/npm"
  podman_build --quiet -f docker/stand-ins/node.Dockerfile "$@" \
    --build-arg "BASE_IMAGE=${STAND_IN}/debian:${DEBIAN_SUITE}" -t "${STAND_IN}/node:local" "$context" >/dev/null \
    || { rm -rf "$context"; fail "the Node.js stand-in did not build (output above)."; }
  rm -rf "$context"
}

# The build arguments for a Dockerfile: each base-image argument it declares (<NAME>_IMAGE) set to its stand-in, and
# the commit. A FROM that names a public image directly (not through an ARG) cannot be built here: that is an error
# naming the fix.
stand_in_args() {
  local dockerfile=$1 arg
  while read -r arg; do
    case "$arg" in
      SDK_IMAGE) echo "--build-arg=SDK_IMAGE=${STAND_IN}/dotnet-sdk:local" ;;
      RUNTIME_DEPS_IMAGE) echo "--build-arg=RUNTIME_DEPS_IMAGE=${STAND_IN}/dotnet-runtime-deps:local" ;;
      RUNTIME_IMAGE) echo "--build-arg=RUNTIME_IMAGE=${STAND_IN}/dotnet-runtime:local" ;;
      BASE_IMAGE) echo "--build-arg=BASE_IMAGE=${STAND_IN}/debian:${DEBIAN_SUITE}" ;;
      NODE_IMAGE) echo "--build-arg=NODE_IMAGE=${STAND_IN}/node:local" ;;
      *) fail "${dockerfile}: no local stand-in for base image argument ${arg}; use SDK_IMAGE, RUNTIME_DEPS_IMAGE, RUNTIME_IMAGE, BASE_IMAGE (Debian 12) or NODE_IMAGE (Node.js), or add a stand-in to docker/stand-ins/." ;;
    esac
  done < <(sed -n -E 's/^ARG[[:space:]]+([A-Z0-9_]+_IMAGE)(=.*)?$/\1/p' "$dockerfile" | sort -u)
  local from
  while read -r from; do
    case "$from" in
      '${'*'}'|scratch) ;;
      *)
        # A FROM naming an earlier stage of the same Dockerfile is fine.
        grep -q -i -E "^FROM[[:space:]].*[[:space:]]AS[[:space:]]+${from}([[:space:]]|$)" "$dockerfile" \
          || fail "${dockerfile}: FROM ${from} names a public image directly; make it a build argument (ARG <NAME>_IMAGE=${from}) so a local stand-in can replace it."
        ;;
    esac
  done < <(sed -n -E 's/^FROM[[:space:]]+(--[^[:space:]]+[[:space:]]+)*([^[:space:]]+).*$/\2/Ip' "$dockerfile")
  # What --version prints: the commit and its date (not the time of the build, so an unchanged commit reuses the
  # cached layers).
  if grep -q -E '^ARG[[:space:]]+GIT_COMMIT' "$dockerfile" && git rev-parse HEAD >/dev/null 2>&1; then
    echo "--build-arg=GIT_COMMIT=$(git rev-parse HEAD)"
  fi
  if grep -q -E '^ARG[[:space:]]+BUILD_DATE' "$dockerfile" && git rev-parse HEAD >/dev/null 2>&1; then
    echo "--build-arg=BUILD_DATE=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%MZ)"
  fi
}

main() {
  local list_only=false
  local wanted=()
  local arg
  for arg in "$@"; do
    case "$arg" in
      --list) list_only=true ;;
      -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      -*) fail "unknown option ${arg}; use --list or image names." ;;
      *) wanted+=("$arg") ;;
    esac
  done

  local table
  table=$(image_table)
  if [ "${#wanted[@]}" -gt 0 ]; then
    local name filtered=""
    for name in "${wanted[@]}"; do
      local row
      row=$(grep -E "^${name}\|" <<<"$table") \
        || fail "no image named ${name}; known: $(cut -d'|' -f1 <<<"$table" | tr '\n' ' ')"
      filtered+="${row}"$'\n'
    done
    table=${filtered%$'\n'}
  fi
  if $list_only; then
    cut -d'|' -f3 <<<"$table"
    return
  fi

  ensure_tools
  local started=$SECONDS
  build_stand_ins

  local count index=0 name dockerfile tag
  count=$(wc -l <<<"$table")
  while IFS='|' read -r name dockerfile tag; do
    index=$((index + 1))
    local args_text args
    args_text=$(stand_in_args "$dockerfile") || exit 1
    args=()
    if [ -n "$args_text" ]; then mapfile -t args <<<"$args_text"; fi
    local image_started=$SECONDS log
    log=$(mktemp)
    echo "build-images: [${index}/${count}] ${tag} (${dockerfile}) ..." >&2
    if ! podman_build -f "$dockerfile" "${args[@]}" -t "$tag" . >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      rm -f "$log"
      fail "building ${tag} from ${dockerfile} failed (last lines above)."
    fi
    rm -f "$log"
    echo "build-images: [${index}/${count}] ${tag} built in $((SECONDS - image_started)) s, $(image_size "$tag")" >&2
  done <<<"$table"
  echo "build-images: ${count} images in $((SECONDS - started)) s" >&2
}

main "$@"
