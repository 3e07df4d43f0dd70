#!/usr/bin/env bash
# Fails when a tracked C++ file is not clang-formatted (run `make format` to fix).
set -euo pipefail
cd "$(dirname "$0")/.."
bad=()
while IFS= read -r f; do
  [ -f "$f" ] || continue
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done < <(git ls-files '*.cc' '*.h'; git ls-files --others --exclude-standard '*.cc' '*.h')
if [ ${#bad[@]} -gt 0 ]; then
  echo "not clang-formatted (run 'make format'):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "format: ok"
