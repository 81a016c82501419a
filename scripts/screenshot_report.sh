#!/usr/bin/env bash
# Screenshot an HTML report in headless Chromium: scripts/screenshot_report.sh PAGE.html OUT.png [WIDTHxHEIGHT]
set -euo pipefail
page=$(realpath "$1"); out=$(realpath -m "$2"); size=${3:-1280,2400}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "no chromium found (apt-get install chromium)" >&2; exit 3; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile" --screenshot="$out" \
  --window-size="$size" "file://$page" >/dev/null 2>&1
[ -s "$out" ] && echo "$out"
