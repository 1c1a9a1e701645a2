#!/usr/bin/env bash
# The built-in lab: podman containers on the lab network, one per line of
# lab/hosts.tsv. Usage: scripts/lab.sh up|down|status [HOSTS_FILE NETWORK SUBNET]
#   up      builds the image if needed (cached), (re)creates the network and the
#           containers, and waits until each one's firewall is ready
#   down    removes the containers and the network
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/lab/containers.conf}
action=${1:-status}
hosts_file=${2:-lab/hosts.tsv}
network=${3:-webroot-lab}
subnet=${4:-198.18.10.0/24}
case "$subnet" in 198.18.*|198.19.*) ;; *) echo "lab: the lab subnet must be in 198.18.0.0/15" >&2; exit 2 ;; esac

hosts() { grep -v '^#' "$hosts_file" | grep -v '^$'; }

down() {
  hosts | while IFS=$'\t' read -r name _; do podman rm -f -t 0 "$name" >/dev/null 2>&1 || true; done
  podman network rm -f "$network" >/dev/null 2>&1 || true
}

case "$action" in
  up)
    image=$(bash scripts/lab-image.sh)
    down
    podman network create --subnet "$subnet" "$network" >/dev/null
    hosts | while IFS=$'\t' read -r name addr role _group; do
      podman run -d --name "$name" --hostname "$name" --network "$network" --ip "$addr" \
        --cap-add NET_ADMIN --cap-add NET_RAW -v "$PWD/lab/files:/lab:ro,z" \
        "$image" /lab/init.sh "$role" >/dev/null
    done
    hosts | while IFS=$'\t' read -r name _; do
      for _i in $(seq 1 120); do
        podman exec "$name" test -e /run/lab-ready 2>/dev/null && break
        if [ "$(podman inspect -f '{{.State.Running}}' "$name")" != true ]; then
          podman logs "$name" >&2; echo "lab: $name stopped" >&2; exit 1
        fi
        sleep 0.5
      done
      podman exec "$name" test -e /run/lab-ready || { echo "lab: $name not ready" >&2; exit 1; }
    done
    echo "lab: up ($(hosts | wc -l) hosts on $network $subnet)"
    ;;
  down) down; echo "lab: down" ;;
  status) podman ps -a --filter "network=$network" --format '{{.Names}}\t{{.Status}}' ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
