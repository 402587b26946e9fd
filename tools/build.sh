#!/usr/bin/env bash
# Builds the real binaries the cluster tests run (test/cluster/), from Go modules, into the
# git-ignored cache: kube-apiserver and etcd (Kubernetes 1.35), the ToolHive operator, and Helm
# (the real `helm template` the differential tests compare the raw manifests with).
# No prebuilt binary is downloaded: every binary is compiled here with `go build`.
#
#   tools/build.sh          # build what is missing or whose pin changed
#   tools/build.sh helm     # only the binaries named (etcd, kube-apiserver, thv-operator, helm)
#   tools/build.sh --print  # print the pinned versions and the binary paths, build nothing
#
# Pins live in the wrapper modules' go.mod/go.sum (tools/<name>/). A binary is rebuilt only
# when its stamp (a digest of its wrapper module's go.mod without comment lines and go.sum,
# the package, the linker flags and the target platform) differs from the one written by
# the last build. Changing a pin: edit the version in tools/<name>/go.mod, run `go mod tidy`
# there, and run this script.
#
# Output: $TOOLHIVE_CONSTRUCTS_CACHE/tools (default .cache/tools): bin/<name>, stamps/<name>.
# Needs Go 1.26 or newer and the Go module proxy (or a warm module cache).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tools"
OUT="${TOOLHIVE_CONSTRUCTS_CACHE:-$ROOT/.cache}/tools"
BIN="$OUT/bin"
STAMPS="$OUT/stamps"
MIN_GO_MINOR=26

die() { echo "tools/build.sh: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "Go 1.${MIN_GO_MINOR} or newer is needed to build the cluster test binaries (go not found on PATH)"
go_version="$(go env GOVERSION)"
if [[ "$go_version" =~ ^go1\.([0-9]+) ]]; then
  (( BASH_REMATCH[1] >= MIN_GO_MINOR )) || die "Go 1.${MIN_GO_MINOR} or newer is needed, found $go_version"
fi

# The version of a module required by a wrapper module (its pin).
pin() { (cd "$TOOLS/$1" && GOFLAGS=-mod=readonly go list -m -f '{{.Version}}' "$2"); }

KUBE_VERSION="$(pin kube k8s.io/kubernetes)"
ETCD_VERSION="$(pin etcd go.etcd.io/etcd/server/v3)"
TOOLHIVE_VERSION="$(pin toolhive github.com/stacklok/toolhive)"
HELM_VERSION="$(pin helm helm.sh/helm/v3)"
HELM_CLIENT_GO="$(pin helm k8s.io/client-go)"

if [[ "${1:-}" == "--print" ]]; then
  echo "kube-apiserver $KUBE_VERSION $BIN/kube-apiserver"
  echo "etcd $ETCD_VERSION $BIN/etcd"
  echo "thv-operator $TOOLHIVE_VERSION $BIN/thv-operator"
  echo "helm $HELM_VERSION $BIN/helm"
  exit 0
fi

mkdir -p "$BIN" "$STAMPS"

# One build at a time (the test harness calls this script too).
exec 9>"$OUT/.build.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 3600 9 || die "timed out after 1 h waiting for another tools/build.sh to finish ($OUT/.build.lock)"
fi

kube_minor="${KUBE_VERSION#v1.}"; kube_minor="${kube_minor%%.*}"
KUBE_LDFLAGS=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  KUBE_LDFLAGS+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$kube_minor -X $pkg.gitTreeState=clean"
done
KUBE_LDFLAGS="-s -w${KUBE_LDFLAGS}"
ETCD_LDFLAGS="-s -w"
TOOLHIVE_LDFLAGS="-s -w -X github.com/stacklok/toolhive/pkg/versions.Version=$TOOLHIVE_VERSION"
# As Helm's Makefile sets them: its version, and the Kubernetes version of its client-go (v0.X.Y -> 1.X).
helm_kube_minor="${HELM_CLIENT_GO#v0.}"; helm_kube_minor="${helm_kube_minor%%.*}"
HELM_LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  HELM_LDFLAGS+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$helm_kube_minor"
done

# build <name> <wrapper module dir> <package> <ldflags>
build() {
  local name="$1" module="$2" pkg="$3" ldflags="$4"
  local stamp
  stamp="$( {
    echo "package $pkg"
    echo "ldflags $ldflags"
    echo "platform $(go env GOOS)/$(go env GOARCH) CGO_ENABLED=0"
    # The pins: go.mod without its comment lines, and go.sum.
    grep -v '^[[:space:]]*//' "$TOOLS/$module/go.mod" | sha256sum | awk '{print $1}'
    sha256sum "$TOOLS/$module/go.sum" | awk '{print $1}'
  } )"
  if [[ -x "$BIN/$name" && -f "$STAMPS/$name" ]] && [[ "$(cat "$STAMPS/$name")" == "$stamp" ]]; then
    echo "tools/build.sh: $name is up to date ($BIN/$name)"
    return
  fi
  echo "tools/build.sh: building $name from $pkg (module tools/$module) ..."
  local start=$SECONDS
  (
    cd "$TOOLS/$module"
    # -mod=readonly: go.sum is the pin; a build never rewrites it.
    CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
      go build -trimpath -ldflags "$ldflags" -o "$BIN/$name.tmp" "$pkg"
  ) || die "building $name failed"
  mv -f "$BIN/$name.tmp" "$BIN/$name"
  printf '%s\n' "$stamp" > "$STAMPS/$name"
  echo "tools/build.sh: built $name in $((SECONDS - start)) s"
}

# Only the binaries named on the command line, or all of them.
WANTED=" $* "
want() { [[ "$WANTED" == "  " || "$WANTED" == *" $1 "* ]]; }
want etcd && build etcd etcd go.etcd.io/etcd/server/v3 "$ETCD_LDFLAGS"
want kube-apiserver && build kube-apiserver kube k8s.io/kubernetes/cmd/kube-apiserver "$KUBE_LDFLAGS"
want thv-operator && build thv-operator toolhive github.com/stacklok/toolhive/cmd/thv-operator "$TOOLHIVE_LDFLAGS"
want helm && build helm helm helm.sh/helm/v3/cmd/helm "$HELM_LDFLAGS"
exit 0
