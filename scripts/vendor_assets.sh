#!/usr/bin/env bash
# Copies the front-end libraries installed by npm into static/vendor, so that pages
# load them from our own server (hospital intranets often block foreign CDNs).
set -euo pipefail
cd "$(dirname "$0")/.."
nm=node_modules
out=static/vendor
mkdir -p "$out/bootstrap" "$out/bootstrap-icons/fonts" "$out/htmx" "$out/echarts"
cp "$nm/bootstrap/dist/css/bootstrap.min.css" "$nm/bootstrap/dist/css/bootstrap.min.css.map" "$out/bootstrap/"
cp "$nm/bootstrap/dist/js/bootstrap.bundle.min.js" "$nm/bootstrap/dist/js/bootstrap.bundle.min.js.map" "$out/bootstrap/"
cp "$nm/bootstrap-icons/font/bootstrap-icons.min.css" "$out/bootstrap-icons/"
cp "$nm/bootstrap-icons/font/fonts/"* "$out/bootstrap-icons/fonts/"
cp "$nm/htmx.org/dist/htmx.min.js" "$out/htmx/"
cp "$nm/echarts/dist/echarts.min.js" "$out/echarts/"
# The map of China by province (ECharts 5 ships no maps; 4.9's GeoJSON, same licence).
cp "$nm/echarts-v4-maps/map/json/china.json" "$out/echarts/china.json"
