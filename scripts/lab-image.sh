#!/usr/bin/env bash
# Builds the lab image localhost/webroot-lab:<recipe hash> with debootstrap (no
# container registry is reachable here) and caches it: it is rebuilt only when it
# is missing or its recipe (RECIPE below, lab/image.packages) changed.
# Prints the image reference on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/lab/containers.conf}
# Bump RECIPE when the build steps below change; the package list is hashed too.
RECIPE=2
tag=$( (echo "$RECIPE"; cat lab/image.packages) | sha256sum | cut -c1-12)
ref=localhost/webroot-lab:$tag
if podman image exists "$ref"; then
  podman tag "$ref" localhost/webroot-lab:latest
  echo "$ref"; exit 0
fi
mirror=${WEBROOT_LAB_MIRROR:-http://deb.debian.org/debian}
rootfs=$(mktemp -d /var/tmp/webroot-lab-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
base=$(grep -v '^#' lab/image.packages | sed -n 1p)
read -r -a extra <<<"$(grep -v '^#' lab/image.packages | sed -n 2p | tr ',' ' ')"
read -r -a debs <<<"$(grep -v '^#' lab/image.packages | sed -n 3p | tr ',' ' ')"
log=/var/tmp/webroot-lab-debootstrap.log
echo "lab-image: debootstrap bookworm ($base), then apt-get install ${extra[*]}" >&2
DEBIAN_FRONTEND=noninteractive debootstrap --variant=minbase --include="$base" \
  bookworm "$rootfs" "$mirror" >"$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
# No service may start inside the build chroot.
printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"; chmod +x "$rootfs/usr/sbin/policy-rc.d"
mount -t proc proc "$rootfs/proc"
trap 'umount "$rootfs/proc" 2>/dev/null || true; rm -rf "$rootfs"' EXIT
chroot "$rootfs" apt-get update -q >>"$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive chroot "$rootfs" apt-get install -y -q --no-install-recommends "${extra[@]}" >>"$log" 2>&1 \
  || { tail -20 "$log" >&2; exit 1; }
if [ ${#debs[@]} -gt 0 ]; then
  mkdir -p "$rootfs/opt/webroot-lab/debs"
  chroot "$rootfs" sh -c 'cd /opt/webroot-lab/debs && apt-get download -q "$@"' sh "${debs[@]}" >>"$log" 2>&1 \
    || { tail -20 "$log" >&2; exit 1; }
fi
umount "$rootfs/proc"
rm -f "$rootfs/usr/sbin/policy-rc.d"
# Nothing from the build should start in a container: services are started by
# lab/files/init.sh. Trim apt caches to keep the image small.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | podman import -q - "$ref" >/dev/null
podman tag "$ref" localhost/webroot-lab:latest
echo "$ref"
