#!/usr/bin/env bash
# Load figures for `loupe serve` on loopback with wrk (apt-get install wrk):
#   - p50/p99 latency and requests/s of GET /api/v1/analyses/{id} under concurrent requests;
#   - ingest throughput: POST /api/v1/ingest/{stream} with 1,000 plain lines per request.
# Builds release first. Usage: Scripts/serve-load.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=${2:-32}
swift build -c release --product loupe >/dev/null
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
.build/release/loupe serve --port 0 --database "$WORK/loupe.sqlite" >"$WORK/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 100); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/serve.out" | head -1)
ID=$(curl -s -F file=@Samples/app.log "$BASE/api/v1/analyses" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "== GET /api/v1/analyses/$ID, $CONNECTIONS connections, 2 threads, ${DURATION}s"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$BASE/api/v1/analyses/$ID" | grep -E 'Requests/sec|50%|99%|Latency|requests in'
python3 - "$WORK/lines.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        f.write(f"2024-03-01 10:{i//60%60:02d}:{i%60:02d} INFO [Gateway] request {i} served in {i%40+10} ms\n")
PY
cat >"$WORK/ingest.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain"
local f = io.open("$WORK/lines.txt", "r"); wrk.body = f:read("*a"); f:close()
LUA
echo "== POST /api/v1/ingest/load, 1,000 lines per request, 4 connections, ${DURATION}s"
wrk -t2 -c4 -d"${DURATION}s" --latency -s "$WORK/ingest.lua" "$BASE/api/v1/ingest/load" | grep -E 'Requests/sec|50%|99%|requests in|Non-2xx'
curl -s "$BASE/api/v1/streams" ; echo
