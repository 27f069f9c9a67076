#!/usr/bin/env bash
# Runs one libFuzzer target briefly: new inputs go to a scratch directory that is
# removed afterwards, so the checked-in seed corpus is only read.
set -u
exe=$1 seeds=$2 secs=${3:-15}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$exe" -max_total_time="$secs" -rss_limit_mb=1024 -print_final_stats=1 "$scratch" "$seeds"
