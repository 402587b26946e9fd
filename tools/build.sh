#!/usr/bin/env bash
# Builds the real binaries the cluster tests run (test/cluster/), from Go modules, into the
# git-ignored cache: kube-apiserver, etcd and kubectl (Kubernetes 1.35), the ToolHive operator, Helm
# (the real `helm template` the differential tests compare the raw manifests with), and the
# Pulumi engine: the CLI, the Node.js, Python, Go and YAML language hosts and the Kubernetes
# provider; and the CNCF Distribution registry (an OCI registry: the air-gap tests' chart mirror).
# (The Python SDK a Python program imports comes from PyPI: tools/python-sdk.sh.)
# No prebuilt binary is downloaded: every binary is compiled here with `go build`.
#
#   tools/build.sh          # build what is missing or whose pin changed
#   tools/build.sh helm     # only the binaries named (etcd, kube-apiserver, kubectl, thv-operator, helm,
#                           #   pulumi, pulumi-language-nodejs, pulumi-language-python,
#                           #   pulumi-language-go, pulumi-language-yaml, pulumi-resource-kubernetes,
#                           #   thv-registry-api, distribution-registry)
#   tools/build.sh --print  # print the pinned versions and the binary paths, build nothing
#
# Pins live in the wrapper modules' go.mod/go.sum (tools/<name>/). A binary is rebuilt only
# when its stamp (a digest of its wrapper module's go.mod without comment lines and go.sum,
# the package, the linker flags, the target platform, and the source files copied in) differs
# from the one written by the last build.
#
# Some binaries are built from source outside the module proxy, copied into the cache first:
#   - pulumi-language-nodejs: its Go source from ../shared/upstream/pulumi-language-nodejs-<v>/
#     (or $TOOLHIVE_UPSTREAM_DIR), which the proxy refuses, with tools/pulumi-language-nodejs's
#     go.mod and go.sum in place of its own (which replaces pkg/sdk with local paths);
#   - pulumi-language-python and pulumi-language-go: the same, from
#     ../shared/upstream/pulumi-language-{python,go}-<v>/ with tools/pulumi-language-{python,go}'s
#     go.mod and go.sum (the Go host with its buildutil/ and goversion/ packages); the Python
#     host's pulumi-language-python-exec (the script it runs programs with) is copied into bin/
#     beside it;
#   - pulumi-resource-kubernetes: the provider module's cmd/ files, from the module cache, with
#     its generate step (the embedded schema files the module zip lacks);
#   - thv-registry-api: the ToolHive Registry Server's Go source from
#     ../shared/upstream/toolhive-registry-server-<v>/source/ (the proxy refuses the module and
#     its github.com/stacklok/toolhive@v0.41.0 dependency), with toolhive replaced by v0.44.0
#     (REGISTRY_TOOLHIVE_VERSION); the resolved go.sum must equal tools/registry-server/go.sum. Changing a pin: edit the version in tools/<name>/go.mod, run `go mod tidy`
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
DISTRIBUTION_VERSION="$(pin distribution github.com/distribution/distribution/v3)"
PULUMI_VERSION="$(pin pulumi github.com/pulumi/pulumi/pkg/v3)"
LANGUAGE_HOST_VERSION="$(pin pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3)"
PYTHON_HOST_VERSION="$(pin pulumi-language-python github.com/pulumi/pulumi/sdk/v3)"
GO_HOST_VERSION="$(pin pulumi-language-go github.com/pulumi/pulumi/sdk/v3)"
YAML_HOST_VERSION="$(pin pulumi-language-yaml github.com/pulumi/pulumi-yaml)"
K8S_PROVIDER_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4
K8S_PROVIDER_PSEUDO="$(pin pulumi-kubernetes "$K8S_PROVIDER_MODULE")"
# The version the provider answers: the one @pulumi/kubernetes (package.json) asks the engine for.
K8S_PROVIDER_VERSION="$(sed -n 's/^[[:space:]]*"@pulumi\/kubernetes": "\([0-9][0-9.]*\)",*$/\1/p' "$ROOT/package.json" | head -1)"
[[ -n "$K8S_PROVIDER_VERSION" ]] || die "no exact @pulumi/kubernetes version in package.json (the provider's version comes from it)"
UPSTREAM="${TOOLHIVE_UPSTREAM_DIR:-$ROOT/../shared/upstream}"
REGISTRY_VERSION=v1.5.1
# The ToolHive module the Registry Server is built against (its own v0.41.0 is refused by the
# proxy; the shared README's recipe): independent of the operator's pin above.
REGISTRY_TOOLHIVE_VERSION=v0.44.0
REGISTRY_SRC="$UPSTREAM/toolhive-registry-server-$REGISTRY_VERSION/source"
LANGUAGE_HOST_SRC="$UPSTREAM/pulumi-language-nodejs-$LANGUAGE_HOST_VERSION"
PYTHON_HOST_SRC="$UPSTREAM/pulumi-language-python-$PYTHON_HOST_VERSION"
GO_HOST_SRC="$UPSTREAM/pulumi-language-go-$GO_HOST_VERSION"

if [[ "${1:-}" == "--print" ]]; then
  echo "kube-apiserver $KUBE_VERSION $BIN/kube-apiserver"
  echo "etcd $ETCD_VERSION $BIN/etcd"
  echo "kubectl $KUBE_VERSION $BIN/kubectl"
  echo "thv-operator $TOOLHIVE_VERSION $BIN/thv-operator"
  echo "helm $HELM_VERSION $BIN/helm"
  echo "pulumi $PULUMI_VERSION $BIN/pulumi"
  echo "pulumi-language-nodejs $LANGUAGE_HOST_VERSION $BIN/pulumi-language-nodejs"
  echo "pulumi-language-python $PYTHON_HOST_VERSION $BIN/pulumi-language-python"
  echo "pulumi-language-go $GO_HOST_VERSION $BIN/pulumi-language-go"
  echo "pulumi-language-yaml $YAML_HOST_VERSION $BIN/pulumi-language-yaml"
  echo "pulumi-resource-kubernetes v$K8S_PROVIDER_VERSION $BIN/pulumi-resource-kubernetes"
  echo "thv-registry-api $REGISTRY_VERSION $BIN/thv-registry-api"
  echo "distribution-registry $DISTRIBUTION_VERSION $BIN/distribution-registry"
  exit 0
fi

mkdir -p "$BIN" "$STAMPS"

# One build of each binary at a time (CI builds in the background while the test harnesses
# call this script too): a lock per binary, held while it is checked and built.
mkdir -p "$OUT/locks"
locked() {
  local name="$1"; shift
  (
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$OUT/locks/$name.lock"
      flock -w 3600 9 || die "timed out after 1 h waiting for another build of $name ($OUT/locks/$name.lock)"
    fi
    "$@"
  ) || exit 1
}

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

PULUMI_LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
LANGUAGE_HOST_LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$LANGUAGE_HOST_VERSION"
PYTHON_HOST_LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PYTHON_HOST_VERSION"
GO_HOST_LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$GO_HOST_VERSION"
YAML_HOST_LDFLAGS="-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$YAML_HOST_VERSION"
K8S_PROVIDER_LDFLAGS="-s -w -X $K8S_PROVIDER_MODULE/pkg/version.Version=$K8S_PROVIDER_VERSION"

# The stamp of a build: what it was built from.
# stamp <wrapper module> <package> <ldflags> [files copied in ...]
stamp() {
  local module="$1" pkg="$2" ldflags="$3"; shift 3
  echo "package $pkg"
  echo "ldflags $ldflags"
  echo "platform $(go env GOOS)/$(go env GOARCH) CGO_ENABLED=0"
  # The pins: go.mod without its comment lines, and go.sum.
  if [[ -f "$TOOLS/$module/go.mod" ]]; then grep -v '^[[:space:]]*//' "$TOOLS/$module/go.mod" | sha256sum | awk '{print $1}'; fi
  sha256sum "$TOOLS/$module/go.sum" | awk '{print $1}'
  local f
  for f in "$@"; do echo "source $(basename "$f") $(sha256sum "$f" | awk '{print $1}')"; done
}

up_to_date() { [[ -x "$BIN/$1" && -f "$STAMPS/$1" ]] && [[ "$(cat "$STAMPS/$1")" == "$2" ]]; }

# go_build <name> <module dir> <package> <ldflags>: into bin/<name>, atomically.
go_build() {
  local name="$1" dir="$2" pkg="$3" ldflags="$4"
  (
    cd "$dir"
    # -mod=readonly: go.sum is the pin; a build never rewrites it.
    CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
      go build -trimpath -ldflags "$ldflags" -o "$BIN/$name.tmp" "$pkg"
  ) || die "building $name failed"
  mv -f "$BIN/$name.tmp" "$BIN/$name"
}

# build <name> <wrapper module> <package> <ldflags>: a binary of a module the proxy serves.
build() {
  local name="$1" module="$2" pkg="$3" ldflags="$4"
  local s; s="$(stamp "$module" "$pkg" "$ldflags")"
  if up_to_date "$name" "$s"; then echo "tools/build.sh: $name is up to date ($BIN/$name)"; return; fi
  echo "tools/build.sh: building $name from $pkg (module tools/$module) ..."
  local start=$SECONDS
  go_build "$name" "$TOOLS/$module" "$pkg" "$ldflags"
  printf '%s\n' "$s" > "$STAMPS/$name"
  echo "tools/build.sh: built $name in $((SECONDS - start)) s"
}

# build_copied <name> <wrapper module> <ldflags> <prepare function> <source files ...>:
# a main package assembled in $OUT/src/<name> from the wrapper's go.mod/go.sum and the files
# given, then `prepare` run there (a generate step), then built.
build_copied() {
  local name="$1" module="$2" ldflags="$3" prepare="$4"; shift 4
  local s; s="$(stamp "$module" "." "$ldflags" "$@")"
  if up_to_date "$name" "$s"; then echo "tools/build.sh: $name is up to date ($BIN/$name)"; return; fi
  echo "tools/build.sh: building $name (module tools/$module, sources copied into $OUT/src/$name) ..."
  local start=$SECONDS dir="$OUT/src/$name"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$TOOLS/$module/go.mod" "$TOOLS/$module/go.sum" "$@" "$dir/"
  chmod -R u+w "$dir"
  (cd "$dir" && "$prepare") || die "preparing $name failed"
  go_build "$name" "$dir" . "$ldflags"
  printf '%s\n' "$s" > "$STAMPS/$name"
  echo "tools/build.sh: built $name in $((SECONDS - start)) s"
}

no_prepare() { :; }

# build_tree <name> <wrapper module> <ldflags> <source dir> <relative paths ...>: like
# build_copied, the files keeping their place under <source dir> (a main package with packages
# of its own module beside it); each file's path and digest are in the stamp.
build_tree() {
  local name="$1" module="$2" ldflags="$3" src="$4"; shift 4
  local s; s="$( {
    stamp "$module" "." "$ldflags"
    local f
    for f in "$@"; do echo "source $f $(sha256sum "$src/$f" | awk '{print $1}')"; done
  } )"
  if up_to_date "$name" "$s"; then echo "tools/build.sh: $name is up to date ($BIN/$name)"; return; fi
  echo "tools/build.sh: building $name (module tools/$module, sources from $src copied into $OUT/src/$name) ..."
  local start=$SECONDS dir="$OUT/src/$name"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$TOOLS/$module/go.mod" "$TOOLS/$module/go.sum" "$dir/"
  (cd "$src" && cp --parents "$@" "$dir/")
  chmod -R u+w "$dir"
  go_build "$name" "$dir" . "$ldflags"
  printf '%s\n' "$s" > "$STAMPS/$name"
  echo "tools/build.sh: built $name in $((SECONDS - start)) s"
}

# The Go files of a host's source (its main package and, for the Go host, its own packages),
# without tests.
host_sources() { (cd "$1" && find . -name '*.go' ! -name '*_test.go' | sed 's|^\./||' | LC_ALL=C sort); }

# build_python_host: the host, then its exec script beside it (in the stamp too).
build_python_host() {
  [[ -f "$PYTHON_HOST_SRC/main.go" && -f "$PYTHON_HOST_SRC/pulumi-language-python-exec" ]] || die "the Pulumi Python language host's source is not at $PYTHON_HOST_SRC (../shared/upstream beside the checkout, or TOOLHIVE_UPSTREAM_DIR)"
  local sources; mapfile -t sources < <(host_sources "$PYTHON_HOST_SRC")
  build_tree pulumi-language-python pulumi-language-python "$PYTHON_HOST_LDFLAGS" "$PYTHON_HOST_SRC" "${sources[@]}" pulumi-language-python-exec
  if ! cmp -s "$PYTHON_HOST_SRC/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"; then
    install -m 0755 "$PYTHON_HOST_SRC/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec.tmp"
    mv -f "$BIN/pulumi-language-python-exec.tmp" "$BIN/pulumi-language-python-exec"
  fi
}

build_go_host() {
  [[ -f "$GO_HOST_SRC/main.go" ]] || die "the Pulumi Go language host's source is not at $GO_HOST_SRC (../shared/upstream beside the checkout, or TOOLHIVE_UPSTREAM_DIR)"
  local sources; mapfile -t sources < <(host_sources "$GO_HOST_SRC")
  build_tree pulumi-language-go pulumi-language-go "$GO_HOST_LDFLAGS" "$GO_HOST_SRC" "${sources[@]}"
}

# build_registry_server: the Registry Server from its source tree (see the header).
build_registry_server() {
  local name=thv-registry-api pkg=./cmd/thv-registry-api
  local ldflags="-s -w -X github.com/stacklok/toolhive-registry-server/internal/versions.Version=$REGISTRY_VERSION"
  [[ -f "$REGISTRY_SRC/go.mod" ]] || die "the Registry Server's source is not at $REGISTRY_SRC (../shared/upstream beside the checkout, or TOOLHIVE_UPSTREAM_DIR)"
  local s; s="$( {
    stamp registry-server "$pkg" "$ldflags"
    echo "replace github.com/stacklok/toolhive=github.com/stacklok/toolhive@$REGISTRY_TOOLHIVE_VERSION"
    (cd "$REGISTRY_SRC" && find . -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | awk '{print "source tree " $1}'
  } )"
  if up_to_date "$name" "$s"; then echo "tools/build.sh: $name is up to date ($BIN/$name)"; return; fi
  echo "tools/build.sh: building $name from $REGISTRY_SRC (toolhive replaced by $REGISTRY_TOOLHIVE_VERSION) ..."
  local start=$SECONDS dir="$OUT/src/$name"
  rm -rf "$dir" && mkdir -p "$dir" && cp -R "$REGISTRY_SRC/." "$dir/" && chmod -R u+w "$dir"
  cp "$TOOLS/registry-server/go.sum" "$dir/go.sum"
  (
    cd "$dir"
    go mod edit -replace "github.com/stacklok/toolhive=github.com/stacklok/toolhive@$REGISTRY_TOOLHIVE_VERSION"
    # -mod=mod: the replace changes what go.mod requires; the versions follow from it (MVS), and
    # the hashes must be the pinned ones.
    CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -ldflags "$ldflags" -o "$BIN/$name.tmp" "$pkg"
  ) || die "building $name failed"
  if ! cmp -s "$dir/go.sum" "$TOOLS/registry-server/go.sum"; then
    rm -f "$BIN/$name.tmp"
    die "$name: the resolved go.sum differs from tools/registry-server/go.sum (diff $dir/go.sum tools/registry-server/go.sum); update the pin on purpose"
  fi
  mv -f "$BIN/$name.tmp" "$BIN/$name"
  printf '%s\n' "$s" > "$STAMPS/$name"
  echo "tools/build.sh: built $name in $((SECONDS - start)) s"
}
# The provider's generate step: writes schema-embed.json and terraform-mapping-embed.json
# (the files main.go embeds), with the version the provider reports.
k8s_provider_generate() { VERSION="$K8S_PROVIDER_VERSION" GOFLAGS=-mod=readonly go run generate.go; }

# Only the binaries named on the command line, or all of them.
WANTED=" $* "
want() { [[ "$WANTED" == "  " || "$WANTED" == *" $1 "* ]]; }
# Helm first: the differential suite needs it while CI builds the rest.
want helm && locked helm build helm helm helm.sh/helm/v3/cmd/helm "$HELM_LDFLAGS"
want etcd && locked etcd build etcd etcd go.etcd.io/etcd/server/v3 "$ETCD_LDFLAGS"
want kube-apiserver && locked kube-apiserver build kube-apiserver kube k8s.io/kubernetes/cmd/kube-apiserver "$KUBE_LDFLAGS"
# kubectl: the README's commands (server-side apply, the CRDs moved between Helm and raw manifests) run as written.
want kubectl && locked kubectl build kubectl kube k8s.io/kubernetes/cmd/kubectl "$KUBE_LDFLAGS"
want thv-operator && locked thv-operator build thv-operator toolhive github.com/stacklok/toolhive/cmd/thv-operator "$TOOLHIVE_LDFLAGS"
want thv-registry-api && locked thv-registry-api build_registry_server
want distribution-registry && locked distribution-registry build distribution-registry distribution github.com/distribution/distribution/v3/cmd/registry \
  "-s -w -X github.com/distribution/distribution/v3/version.version=$DISTRIBUTION_VERSION"
# The Pulumi binaries last: only the Pulumi suites need them, and CI runs the others meanwhile.
want pulumi && locked pulumi build pulumi pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$PULUMI_LDFLAGS"
if want pulumi-language-nodejs; then
  [[ -f "$LANGUAGE_HOST_SRC/main.go" ]] || die "the Pulumi Node.js language host's source is not at $LANGUAGE_HOST_SRC (../shared/upstream beside the checkout, or TOOLHIVE_UPSTREAM_DIR)"
  mapfile -t host_files < <(find "$LANGUAGE_HOST_SRC" -maxdepth 1 -name '*.go' ! -name '*_test.go' | sort)
  locked pulumi-language-nodejs build_copied pulumi-language-nodejs pulumi-language-nodejs "$LANGUAGE_HOST_LDFLAGS" no_prepare "${host_files[@]}"
fi
if want pulumi-resource-kubernetes; then
  provider_dir="$(cd "$TOOLS/pulumi-kubernetes" && GOFLAGS=-mod=readonly go mod download -json "$K8S_PROVIDER_MODULE@$K8S_PROVIDER_PSEUDO" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$provider_dir/cmd/pulumi-resource-kubernetes" ]] || die "could not download $K8S_PROVIDER_MODULE@$K8S_PROVIDER_PSEUDO"
  cmd="$provider_dir/cmd/pulumi-resource-kubernetes"
  locked pulumi-resource-kubernetes build_copied pulumi-resource-kubernetes pulumi-kubernetes "$K8S_PROVIDER_LDFLAGS" k8s_provider_generate \
    "$cmd/main.go" "$cmd/generate.go" "$cmd/schema.json" "$cmd/terraform-mapping.json"
fi
# The other languages' hosts after what the TypeScript programs need (the Python and Go hosts
# share most packages with the Node.js host; the YAML host is at its own pulumi version).
want pulumi-language-python && locked pulumi-language-python build_python_host
want pulumi-language-go && locked pulumi-language-go build_go_host
want pulumi-language-yaml && locked pulumi-language-yaml build pulumi-language-yaml pulumi-language-yaml \
  github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml "$YAML_HOST_LDFLAGS"
exit 0
