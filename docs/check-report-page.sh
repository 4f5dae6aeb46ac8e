#!/bin/sh
# The report page in a real browser: renders the plain and the what-if page of the samples and
# screenshots each at 1280 and 800 px wide (headless Chromium: apt install chromium).
# Look at the PNGs: every chart whole, nothing cut at the right, labels apart.
set -eu
out=${1:-/tmp/chatstats-page}
mkdir -p "$out"
chatstats report samples --by day -q --force --html "$out/report.html" -f json >/dev/null
chatstats report samples --by day -q --force --html "$out/what-if.html" -f json \
    -o attach-session-statistics=all \
    -a stop-abandoned-interaction=never -b stop-abandoned-interaction=noanswer >/dev/null
for page in report what-if; do
    for width in 1280 800; do
        chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
            --window-size="$width,3000" --screenshot="$out/$page-$width.png" \
            "file://$out/$page.html" 2>/dev/null
    done
done
ls "$out"/*.png
