"""The ToolHive operator and a team's MCP servers on one cluster, from Python.

The shape of a Python stack that installs ToolHive by hand (two helm.v3.Release resources, one
with skip_crds, the other depending on it): a kubeconfig from stack config, then the operator
with its CRDs, then MCP servers. ToolhiveOperator does the ordering (the CRDs first, kept on
delete; the operator after them; the custom resources last), and every custom resource is
checked against its CRD's schema before anything is sent to the cluster.

`pulumi config set rbacScope cluster` moves the operator to cluster scope; `pulumi up` replaces
the per-namespace RoleBindings with ClusterRoleBindings (and back again).
"""
import pulumi
import pulumi_kubernetes as kubernetes
import pulumi_toolhive_constructs as toolhive

config = pulumi.Config()
provider = kubernetes.Provider(
    "research",
    kubeconfig=config.require_secret("kubeconfig"),
    enable_server_side_apply=True,
)

scope = config.get("rbacScope") or "namespace"
team = "research"


def metadata(name: str) -> toolhive.ToolhiveCustomResourceMetadataArgs:
    return toolhive.ToolhiveCustomResourceMetadataArgs(name=name, namespace=team)


operator = toolhive.ToolhiveOperator(
    team,
    provider=provider,
    rbac=toolhive.RbacScopeArgs(
        scope=scope,
        allowed_namespaces=[team] if scope == "namespace" else None,
    ),
    custom_resources=[
        toolhive.ToolhiveCustomResourceArgs(
            api_version="toolhive.stacklok.dev/v1beta1",
            kind="MCPGroup",
            metadata=metadata(team),
            spec={"description": "Research tools"},
        ),
        toolhive.ToolhiveCustomResourceArgs(
            api_version="toolhive.stacklok.dev/v1beta1",
            kind="MCPServer",
            metadata=metadata("fetch"),
            spec={
                "image": "ghcr.io/stackloklabs/gofetch/server:1.0.1",
                "transport": "streamable-http",
                "groupRef": {"name": team},
            },
        ),
    ],
)

pulumi.export("namespace", operator.namespace)
pulumi.export("releaseNames", operator.release_names)
