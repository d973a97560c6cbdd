#!/usr/bin/env bash
# Runs every test on a fresh Debian machine: installs what the tests need when missing, starts PostgreSQL and Orthanc
# (DICOMweb) on loopback in throw-away folders, runs `dotnet test`, stops both servers.
# Usage: ./scripts/test.sh [dotnet test args]
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }

# DICOM oracles (pydicom, dcmtk, dicom3tools, GDCM), python3-onnx (builds the bring-your-own-model test models) and the Orthanc PACS with its DICOMweb plugin; PostgreSQL when
# no server binaries are present. One apt-get call for whatever is missing.
missing=()
for pkg in python3-pydicom python3-numpy python3-onnx python3-gdcm sox dcmtk dicom3tools libgdcm-tools orthanc orthanc-dicomweb; do
  installed "$pkg" || missing+=("$pkg")
done
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then missing+=(postgresql); fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} (Debian packages)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
PGBIN=$(pg_bin)

# initdb refuses to run as root: run the cluster as the 'postgres' system user the Debian package creates.
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PGROOT=$(mktemp -d /tmp/healthassist-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGROOT"
# Three distinct free loopback ports, held open together while chosen: PostgreSQL, Orthanc HTTP, Orthanc DICOM.
read -r PGPORT ORTHANC_HTTP_PORT ORTHANC_DICOM_PORT < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))')
stop_pg() {
  run_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}

# Our own Orthanc, not the system service the Debian package may have started on 8042/4242: free ports, a temp folder.
ORTHANC_ROOT=$(mktemp -d /tmp/healthassist-orthanc.XXXXXX)
ORTHANC_PID=
stop_orthanc() {
  if [ -n "$ORTHANC_PID" ]; then
    kill "$ORTHANC_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$ORTHANC_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$ORTHANC_PID" 2>/dev/null || true
    wait "$ORTHANC_PID" 2>/dev/null || true
  fi
  rm -rf "$ORTHANC_ROOT"
}
cleanup() { stop_orthanc; stop_pg; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"
run_pg "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w \
  -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
export HEALTHASSIST_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres;Pooling=true"

DICOMWEB_PLUGIN=$(dpkg -L orthanc-dicomweb | grep -E '/plugins/libOrthancDicomWeb\.so$' | head -n 1 || true)
[ -n "$DICOMWEB_PLUGIN" ] || { echo "orthanc-dicomweb is installed but libOrthancDicomWeb.so was not found in it" >&2; exit 1; }
cat >"$ORTHANC_ROOT/config.json" <<JSON
{
  "Name": "HealthAssistTests",
  "HttpPort": $ORTHANC_HTTP_PORT,
  "DicomPort": $ORTHANC_DICOM_PORT,
  "DicomServerEnabled": false,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "StorageDirectory": "$ORTHANC_ROOT/storage",
  "IndexDirectory": "$ORTHANC_ROOT/index",
  "OverwriteInstances": true,
  "Plugins": ["$DICOMWEB_PLUGIN"],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
}
JSON
ORTHANC_BIN=$(dpkg -L orthanc | grep -E '/s?bin/Orthanc$' | head -n 1 || true)  # /usr/sbin: not on every PATH
[ -n "$ORTHANC_BIN" ] || { echo "the orthanc package is installed but its Orthanc binary was not found" >&2; exit 1; }
ORTHANC_URL="http://127.0.0.1:$ORTHANC_HTTP_PORT"
started=$(date +%s%N)
"$ORTHANC_BIN" "$ORTHANC_ROOT/config.json" >"$ORTHANC_ROOT/orthanc.log" 2>&1 &
ORTHANC_PID=$!
# Ready when GET /system answers; give up after 30 s, or at once if the process died.
ready=0
deadline=$(( $(date +%s) + 30 ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  if ! kill -0 "$ORTHANC_PID" 2>/dev/null; then break; fi
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/system", timeout=1)' "$ORTHANC_URL" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "Orthanc did not answer on $ORTHANC_URL within 30 s; its log:" >&2
  tail -n 30 "$ORTHANC_ROOT/orthanc.log" >&2
  exit 1
fi
log "Orthanc $("$ORTHANC_BIN" --version | awk 'NR == 1 {print $2}') (DICOMweb) ready on 127.0.0.1:$ORTHANC_HTTP_PORT in $(( ($(date +%s%N) - started) / 1000000 )) ms"
export HEALTHASSIST_TEST_ORTHANC="$ORTHANC_URL"

log "restoring tools and building"
dotnet tool restore >/dev/null
dotnet build HealthAssist.sln -c Release -nologo -v q

results=$(mktemp -d /tmp/healthassist-results.XXXXXX)
log "running tests"
status=0
dotnet test HealthAssist.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" "$@" || status=$?

# One plain summary line, whatever the runner printed above.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$results"
exit $status
