"""Two mistakes in a ToolhiveOperator: an unknown delivery, and namespace scope with no namespace."""
import pulumi_kubernetes as kubernetes
import pulumi_toolhive_constructs as toolhive

provider = kubernetes.Provider("invalid", kubeconfig="{}")

toolhive.ToolhiveOperator(
    "invalid",
    provider=provider,
    delivery="kustomize",
    rbac=toolhive.RbacScopeArgs(scope="namespace", allowed_namespaces=[]),
)
