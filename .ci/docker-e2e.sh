#!/usr/bin/env bash
# End-to-end check of the image and the compose stack on a real Docker engine.
# Our machines run no engine and reach no registry: this starts Debian's dockerd
# on a private socket, builds stand-ins for python:3.11-slim (debootstrap) and
# postgres:16, builds the project's unchanged Dockerfile, brings the unchanged
# docker-compose.yml up (plus .ci/compose.sandbox.yml for host networking),
# checks the seeded record through the container and the non-root user, and
# tears everything down by pid.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
S=${DOCKER_E2E_DIR:-/tmp/procurement-docker-e2e}
VENV=${VENV:-$ROOT/.venv}
export DEBIAN_FRONTEND=noninteractive

cleanup() {
  set +e
  if [ -n "${DOCKER_HOST:-}" ] && docker info >/dev/null 2>&1; then
    docker compose -p procurement-e2e -f "$ROOT/docker-compose.yml" -f "$ROOT/.ci/compose.sandbox.yml" down -v >/dev/null 2>&1
    docker rm -f procurement-e2e-app >/dev/null 2>&1
  fi
  if [ -f "$S/dockerd.pid" ]; then
    pid=$(cat "$S/dockerd.pid")
    kill "$pid" 2>/dev/null
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  umount "$S/docker-exec/netns/default" 2>/dev/null
  rm -rf "$S"
}
trap cleanup EXIT

rm -rf "$S"; mkdir -p "$S"
if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io debootstrap >/dev/null
fi
mkdir -p "$S/dockercfg/cli-plugins"
ln -sf "$VENV/bin/docker-compose" "$S/dockercfg/cli-plugins/docker-compose"
export DOCKER_CONFIG=$S/dockercfg DOCKER_HOST=unix://$S/docker.sock

dockerd --host "$DOCKER_HOST" --data-root "$S/docker-root" --exec-root "$S/docker-exec" \
  --pidfile "$S/dockerd.pid" --iptables=false --ip6tables=false --bridge=none \
  --storage-driver=overlay2 > "$S/dockerd.log" 2>&1 &
for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
docker info >/dev/null

echo "--- base image stand-in (debootstrap)"
debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates,passwd \
  bookworm "$S/rootfs" > "$S/debootstrap.log"
cp /usr/local/share/ca-certificates/*.crt "$S/rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
chroot "$S/rootfs" update-ca-certificates >/dev/null
rm -f "$S"/rootfs/usr/lib/python3*/EXTERNALLY-MANAGED
chroot "$S/rootfs" apt-get clean; rm -rf "$S/rootfs/var/lib/apt/lists/"*
# pip inside the build must see the same package index settings as this machine.
if [ -f /etc/pip.conf ]; then cp /etc/pip.conf "$S/rootfs/etc/pip.conf"; fi
tar -C "$S/rootfs" -c . | docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' - python:3.11-slim >/dev/null
docker build -q --network host -t postgres:16 "$ROOT/.ci/standin-postgres" >/dev/null
docker build -q --network host -t redis:7 "$ROOT/.ci/standin-redis" >/dev/null

echo "--- docker build (the project's Dockerfile, unchanged)"
docker build --network host -t procurement-tracker:e2e "$ROOT"

echo "--- single container, embedded PostgreSQL"
docker run -d --name procurement-e2e-app --network host -e BIND=127.0.0.1:8765 procurement-tracker:e2e >/dev/null
ok=""
for _ in $(seq 90); do
  if curl -fsS http://127.0.0.1:8765/health/ready >/dev/null 2>&1; then ok=1; break; fi
  sleep 1
done
[ -n "$ok" ] || { docker logs procurement-e2e-app; exit 1; }
curl -fsS http://127.0.0.1:8765/api/v1/procurements | grep -q '"system":"Piorun"'
uid=$(docker exec procurement-e2e-app id -u)
[ "$uid" != 0 ] || { echo "container runs as root"; exit 1; }
echo "embedded: seeded Piorun record served; process uid $uid"
docker rm -f procurement-e2e-app >/dev/null

echo "--- docker compose up --wait"
compose=(docker compose -p procurement-e2e -f "$ROOT/docker-compose.yml" -f "$ROOT/.ci/compose.sandbox.yml")
"${compose[@]}" up -d --build --wait --wait-timeout 180 || {
  "${compose[@]}" ps; "${compose[@]}" logs --tail 120 api; exit 1; }
"${compose[@]}" ps
body=$("${compose[@]}" exec -T api python -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8000/api/v1/procurements').read().decode())")
echo "$body" | grep -q '"system":"Piorun"' || { echo "no seeded Piorun record: $body"; exit 1; }
echo "$body" | grep -q '"buyer":"Belgium"'
user=$("${compose[@]}" exec -T api id -u)
[ "$user" != 0 ] || { echo "api runs as root"; exit 1; }
pid1_user=$("${compose[@]}" exec -T api sh -c 'stat -c %u /proc/1')
[ "$pid1_user" != 0 ] || { echo "gunicorn (pid 1) runs as root"; exit 1; }
counters=$("${compose[@]}" exec -T redis redis-cli -h 127.0.0.3 --scan --pattern 'LIMITS*' | wc -l)
[ "$counters" -gt 0 ] || { echo "no rate-limit counters in the compose stack's Redis"; exit 1; }
echo "compose: api healthy, seeded Piorun record served through the container; uid $user; $counters rate-limit counters in Redis"
"${compose[@]}" down -v
echo "docker e2e: passed"
