"""A three-cluster ToolHive platform from Python: one platform definition, one stack or many.

A control cluster with the Registry Server, two workload clusters with the operator (eu-west in
namespace mode). As one stack, it needs every cluster's kubeconfig (`kubeconfig-<name>`).
`pulumi config set onlyCluster <name>` makes the stack deploy that cluster only (one stack per
cluster), with only that cluster's kubeconfig; the platform is still planned and checked whole,
and `endpoints` are the whole platform's in every stack.
"""
import pulumi
import pulumi_kubernetes as kubernetes
import pulumi_toolhive_constructs as toolhive

config = pulumi.Config()
only = config.get("onlyCluster")


def provider(name: str):
    # Only the clusters this stack deploys need a provider (and a kubeconfig).
    if only and name != only:
        return None
    return kubernetes.Provider(name, kubeconfig=config.require_secret(f"kubeconfig-{name}"), enable_server_side_apply=True)


registry = toolhive.RegistryServerSettingsArgs(
    external_url="https://registry.example.com",
    config=toolhive.RegistryServerConfigArgs(
        database=toolhive.RegistryDatabaseConfigArgs(host="postgres.example.com", port=5432, user="registry", database="registry"),
        auth=toolhive.RegistryAuthConfigArgs(mode="anonymous"),
        sources=[toolhive.RegistrySourceConfigArgs(name="catalog", managed=toolhive.RegistrySourceConfigManagedArgs())],
        registries=[toolhive.RegistryConfigArgs(name="main", sources=["catalog"])],
    ),
    password_secret=toolhive.SecretKeyReferenceArgs(name="registry-db-credentials", key="password"),
)

platform = toolhive.ToolhivePlatform(
    "acme",
    edition="open-source",
    only_cluster=only,
    clusters={
        "control": toolhive.PlatformClusterArgs(role="control", provider=provider("control"), registry_server=registry),
        "eu-west": toolhive.PlatformClusterArgs(
            role="workload",
            provider=provider("eu-west"),
            toolhive_operator=toolhive.OperatorSettingsArgs(
                rbac=toolhive.RbacScopeArgs(scope="namespace", allowed_namespaces=["payments"]),
            ),
        ),
        "us-east": toolhive.PlatformClusterArgs(role="workload", provider=provider("us-east"), toolhive_operator=toolhive.OperatorSettingsArgs()),
    },
)

pulumi.export("clusterNames", platform.cluster_names)
pulumi.export("endpoints", platform.endpoints)
