#!/bin/sh
# Opens an experiment report in headless Chromium, fails when the page logs anything to the
# console (a script error, a resource that failed to load, a CSP or parse complaint), checks
# the rendered page holds the report, and saves a screenshot.
#
#   scripts/report-check.sh [REPORT_HTML] [SCREENSHOT_PNG]
set -eu
page=${1:-report/index.html}
screenshot=${2:-docs/report.png}
browser=${CHROMIUM:-chromium}
[ -f "$page" ] || { echo "report-check: $page not found; run 'make run' (or 'rectifier report') first" >&2; exit 1; }
url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags="--headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars --user-data-dir=$work/profile"

# 1. Console messages: Chromium logs each as "CONSOLE(line)" or "Console" with --enable-logging.
$browser $flags --enable-logging=stderr --v=0 --virtual-time-budget=3000 --dump-dom "$url" \
    >"$work/dom.html" 2>"$work/console.log" || { cat "$work/console.log" >&2; echo "report-check: chromium failed" >&2; exit 1; }
if grep -iE 'CONSOLE|Uncaught|Failed to load resource' "$work/console.log" >"$work/errors.log"; then
    echo "report-check: the page logged to the console:" >&2
    cat "$work/errors.log" >&2
    exit 1
fi

# 2. The rendered DOM is the report: a headline table, and one inline SVG per figure listed.
grep -q '<table class="headline">' "$work/dom.html" || { echo "report-check: no headline table in the rendered page" >&2; exit 1; }
figures=$(grep -o '<figure>' "$work/dom.html" | wc -l)
svgs=$(grep -o '<svg' "$work/dom.html" | wc -l)
if [ "$svgs" -lt "$figures" ]; then
    echo "report-check: $figures figures but only $svgs inline SVGs rendered" >&2
    exit 1
fi

# 3. The screenshot (the full first screens of the page).
mkdir -p "$(dirname "$screenshot")"
$browser $flags --window-size=1200,2000 --screenshot="$work/shot.png" "$url" 2>/dev/null
mv "$work/shot.png" "$screenshot"
echo "report-check: $page rendered without console messages ($figures figures); screenshot $screenshot"
