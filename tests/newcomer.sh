#!/usr/bin/env bash
# The newcomer's path, as part of `make test`: clone the committed repository into a temporary
# folder with an EMPTY folder beside it as ../shared, run `make run` there, check that it passed
# and left `git status` clean, and run the strict nbval of every notebook there (none skipped).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/protocol-news-newcomer.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/shared"                      # what a researcher has beside the checkout: nothing
git clone --quiet "$root" "$work/checkout"
cd "$work/checkout"
echo "newcomer check: fresh clone of $(git rev-parse --short HEAD) with an empty ../shared"
make run
changed="$(git status --porcelain)"
if [ -n "$changed" ]; then
    echo "newcomer check FAILED: make run changed tracked files or left untracked ones:" >&2
    echo "$changed" >&2
    git --no-pager diff --stat >&2
    exit 1
fi
echo "newcomer check: make run passed and git status is clean"
make nbval
echo "newcomer check: strict nbval of every notebook passed in the fresh clone"
