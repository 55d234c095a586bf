#!/usr/bin/env bash
# Builds a local JRE base image for docker/Dockerfile without any container registry:
# Debian minbase + openjdk-17-jre-headless made with debootstrap from a Debian mirror,
# trimmed (docs, man pages, locales, apt caches), and loaded with `docker import`.
#
#   docker/build-base.sh [TAG]          TAG defaults to imgstore-base:local
#
# Needs root, debootstrap and a running Docker engine. Environment:
#   IMGSTORE_BASE_SUITE   Debian suite (default bookworm)
#   IMGSTORE_BASE_MIRROR  Debian mirror (default: the first one in this machine's apt sources)
#   IMGSTORE_BASE_CACHE   where the root-fs tarball is kept between runs (default
#                         /var/cache/imgstore-base; never inside the git work tree)
#   IMGSTORE_BASE_REBUILD=1  ignore the existing image and the cached tarball
#
# The image carries the label imgstore.base.recipe=<hash of this script and its settings>;
# an existing image or tarball with the same hash is reused, so a second call costs ~1 s.
set -euo pipefail

tag="${1:-imgstore-base:local}"
suite="${IMGSTORE_BASE_SUITE:-bookworm}"
cache="${IMGSTORE_BASE_CACHE:-/var/cache/imgstore-base}"
packages="openjdk-17-jre-headless"

log() { echo "build-base: $*" >&2; }

apt_mirror() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}
mirror="${IMGSTORE_BASE_MIRROR:-$(apt_mirror)}"

# The recipe hash: this script (the trim list lives here) plus the settings that change the result.
recipe=$( { cat "${BASH_SOURCE[0]}"; echo "$suite $packages"; } | sha256sum | cut -c1-16)
tarball="$cache/imgstore-base-$suite-$recipe.tar"

if [ "${IMGSTORE_BASE_REBUILD:-0}" != 1 ] \
   && [ "$(docker image inspect -f '{{index .Config.Labels "imgstore.base.recipe"}}' "$tag" 2>/dev/null)" = "$recipe" ]; then
  log "$tag is up to date (recipe $recipe)"
  exit 0
fi

mkdir -p "$cache"
# One build at a time per cache (CI runs may share a machine); the second finds the first's result.
exec {cache_lock}>>"$cache/.lock"
flock -x "$cache_lock"
if [ "${IMGSTORE_BASE_REBUILD:-0}" != 1 ] \
   && [ "$(docker image inspect -f '{{index .Config.Labels "imgstore.base.recipe"}}' "$tag" 2>/dev/null)" = "$recipe" ]; then
  log "$tag is up to date (recipe $recipe)"
  exit 0
fi
if [ "${IMGSTORE_BASE_REBUILD:-0}" = 1 ] || [ ! -s "$tarball" ]; then
  command -v debootstrap >/dev/null || { log "debootstrap is missing: apt-get install debootstrap"; exit 1; }
  [ "$(id -u)" = 0 ] || { log "debootstrap needs root"; exit 1; }
  rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs" "$tarball.tmp"' EXIT
  log "debootstrap $suite ($packages) from $mirror"
  started=$SECONDS
  if ! debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1; then
    tail -n 30 "$cache/debootstrap.log" >&2
    log "debootstrap failed (full log: $cache/debootstrap.log)"
    exit 1
  fi
  log "debootstrap took $((SECONDS - started)) s"

  # Trim what a JRE runtime never reads. Copyright files stay (licences of what we ship).
  (
    cd "$rootfs"
    find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
    find usr/share/doc -mindepth 1 -type d -empty -delete
    rm -rf usr/share/man/* usr/share/info/* usr/share/locale/* usr/share/lintian usr/share/linda \
           var/cache/apt/* var/lib/apt/lists/* var/cache/debconf/*-old var/log/* tmp/* \
           var/cache/ldconfig/aux-cache
    # No host details in the image: Docker provides these files at run time.
    : > etc/resolv.conf
    echo localhost > etc/hostname
    # Keep docs out of anything later installed on top of this base.
    cat > etc/dpkg/dpkg.cfg.d/01-imgstore-nodoc <<'CFG'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
CFG
  )
  tar --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
      -C "$rootfs" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$rootfs"
  trap - EXIT
  # Older recipes' tarballs are never used again.
  find "$cache" -maxdepth 1 -name 'imgstore-base-*.tar' ! -path "$tarball" -delete
else
  log "using cached $tarball"
fi

java_home=/usr/lib/jvm/java-17-openjdk-amd64
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change "ENV JAVA_HOME=$java_home" \
  --change "LABEL imgstore.base.recipe=$recipe imgstore.base.suite=$suite" \
  --change 'CMD ["/bin/bash"]' \
  --message "debootstrap --variant=minbase --include=$packages $suite" \
  "$tarball" "$tag" >/dev/null
log "imported $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1 / 1e6}'))"
