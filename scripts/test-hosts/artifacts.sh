# shellcheck shell=bash
# test-hosts: what the ml_node role deploys on hosts that reach neither nodejs.org nor the npm registry: a Node
# archive in nodejs.org's layout (bin/node, lib/node_modules/{npm,pnpm}) made from this machine's Node 20, and
# the project from scripts/build_release.sh with its node_modules. `artifacts` prints the inventory's env lines.
# Sourced by scripts/test-hosts.sh (after its settings).

node_archive() { # -> path of the archive (built once per Node version)
  local node version npm_root name out stage
  node=$(command -v node) || die 2 "node missing"
  version=$("$node" --version)
  [[ $version == v20.* ]] || die 2 "this machine's Node is $version; the ML node runs Node 20"
  npm_root=$(npm root -g)
  [[ -d $npm_root/npm && -d $npm_root/pnpm ]] || die 2 "npm and pnpm must be installed globally ($npm_root): npm install -g pnpm"
  name=node-$version-linux-x64
  out=$TH_DIR/artifacts/$name.tar.gz
  [[ -f $out ]] && { echo "$out"; return 0; }
  stage=$(mktemp -d "${TMPDIR:-/tmp}/aiops-node-XXXXXX")
  mkdir -p "$stage/$name/bin" "$stage/$name/lib/node_modules" "$TH_DIR/artifacts"
  cp "$(readlink -f "$node")" "$stage/$name/bin/node"
  cp -a "$npm_root/npm" "$npm_root/pnpm" "$stage/$name/lib/node_modules/"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$stage/$name/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$stage/$name/bin/npx"
  ln -s ../lib/node_modules/pnpm/bin/pnpm.cjs "$stage/$name/bin/pnpm"
  tar -C "$stage" --owner=0 --group=0 -czf "$out.tmp" "$name"
  mv "$out.tmp" "$out"
  rm -rf "$stage"
  echo "$out"
}

cmd_artifacts() {
  local node release version t0
  t0=$(now_ms)
  node=$(node_archive)
  version=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo dev)-$(date +%Y%m%d%H%M%S)
  release=$TH_DIR/artifacts/aiops-release.tar.gz
  bash "$REPO_ROOT/scripts/build_release.sh" --with-node-modules --out "$release"
  info "artifacts in $(secs_since "$t0") s"
  cat <<ENV
AIOPS_TEST_NODE_ARCHIVE=$node
AIOPS_TEST_NODE_VERSION=$(basename "$node" | sed -e 's/^node-//' -e 's/-linux-x64.tar.gz$//')
AIOPS_TEST_RELEASE_ARCHIVE=$release
AIOPS_TEST_RELEASE_VERSION=$version
ENV
}
