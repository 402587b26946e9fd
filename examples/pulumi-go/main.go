// The ToolHive operator and a team's MCP servers on one cluster, from Go: a kubeconfig from
// stack config, the operator with its CRDs (ToolhiveOperator orders them: CRDs first, kept on
// delete, then the operator, then the custom resources, each checked against its CRD's schema).
//
// `pulumi config set rbacScope cluster` moves the operator to cluster scope.
package main

import (
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	toolhive "github.com/stacklok/toolhive-constructs/sdk/go/toolhive"
)

const team = "research"

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		provider, err := kubernetes.NewProvider(ctx, team, &kubernetes.ProviderArgs{
			Kubeconfig:            cfg.RequireSecret("kubeconfig"),
			EnableServerSideApply: pulumi.Bool(true),
		})
		if err != nil {
			return err
		}

		rbac := &toolhive.RbacScopeArgs{Scope: toolhive.RbacModeNamespace, AllowedNamespaces: []string{team}}
		if cfg.Get("rbacScope") == "cluster" {
			rbac = &toolhive.RbacScopeArgs{Scope: toolhive.RbacModeCluster}
		}
		metadata := func(name string) toolhive.ToolhiveCustomResourceMetadataArgs {
			return toolhive.ToolhiveCustomResourceMetadataArgs{Name: name, Namespace: pulumi.StringRef(team)}
		}

		operator, err := toolhive.NewToolhiveOperator(ctx, team, &toolhive.ToolhiveOperatorArgs{
			Provider: provider,
			Rbac:     rbac,
			CustomResources: []toolhive.ToolhiveCustomResourceArgs{
				{
					ApiVersion: "toolhive.stacklok.dev/v1beta1",
					Kind:       "MCPGroup",
					Metadata:   metadata(team),
					Spec:       map[string]interface{}{"description": "Research tools"},
				},
				{
					ApiVersion: "toolhive.stacklok.dev/v1beta1",
					Kind:       "MCPServer",
					Metadata:   metadata("fetch"),
					Spec: map[string]interface{}{
						"image":     "ghcr.io/stackloklabs/gofetch/server:1.0.1",
						"transport": "streamable-http",
						"groupRef":  map[string]interface{}{"name": team},
					},
				},
			},
		})
		if err != nil {
			return err
		}

		ctx.Export("namespace", operator.Namespace)
		ctx.Export("releaseNames", operator.ReleaseNames)
		return nil
	})
}
