// Wrapper module pinning the ToolHive operator (github.com/stacklok/toolhive/cmd/thv-operator)
// at the ToolHive version the library renders (TOOLHIVE_VERSION in src/core/versions.ts).
// Its go.sum pins every dependency. Built by tools/build.sh.
module toolhive-constructs.dev/tools/toolhive

go 1.26

tool github.com/stacklok/toolhive/cmd/thv-operator

require github.com/stacklok/toolhive v0.44.0
