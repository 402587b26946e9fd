// A three-cluster ToolHive platform from Go: one platform definition, one stack or many (the
// program of examples/pulumi-python-fleet).
//
// A control cluster with the Registry Server, two workload clusters with the operator (eu-west in
// namespace mode). As one stack, it needs every cluster's kubeconfig (`kubeconfig-<name>`).
// `pulumi config set onlyCluster <name>` makes the stack deploy that cluster only (one stack per
// cluster), with only that cluster's kubeconfig; the platform is still planned and checked whole,
// and `endpoints` are the whole platform's in every stack.
package main

import (
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	toolhive "toolhive-constructs.dev/sdk/go/toolhiveconstructs"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		conf := config.New(ctx, "")
		only := conf.Get("onlyCluster")

		// Only the clusters this stack deploys need a provider (and a kubeconfig).
		provider := func(name string) (*kubernetes.Provider, error) {
			if only != "" && name != only {
				return nil, nil
			}
			return kubernetes.NewProvider(ctx, name, &kubernetes.ProviderArgs{
				Kubeconfig:            conf.RequireSecret("kubeconfig-" + name),
				EnableServerSideApply: pulumi.Bool(true),
			})
		}
		providers := map[string]*kubernetes.Provider{}
		for _, name := range []string{"control", "eu-west", "us-east"} {
			p, err := provider(name)
			if err != nil {
				return err
			}
			providers[name] = p
		}

		externalURL := "https://registry.example.com"
		passwordKey := "password"
		registry := &toolhive.RegistryServerSettingsArgs{
			ExternalUrl: &externalURL,
			Config: toolhive.RegistryServerConfigArgs{
				Database:   toolhive.RegistryDatabaseConfigArgs{Host: "postgres.example.com", Port: 5432, User: "registry", Database: "registry"},
				Auth:       toolhive.RegistryAuthConfigArgs{Mode: toolhive.RegistryAuthConfigModeEnumAnonymous},
				Sources:    []toolhive.RegistrySourceConfigArgs{{Name: "catalog", Managed: &toolhive.RegistrySourceConfigManagedArgs{}}},
				Registries: []toolhive.RegistryConfigArgs{{Name: "main", Sources: []string{"catalog"}}},
			},
			PasswordSecret: &toolhive.SecretKeyReferenceArgs{Name: "registry-db-credentials", Key: &passwordKey},
		}

		edition := toolhive.EditionOpenSource
		args := &toolhive.ToolhivePlatformArgs{
			Edition: &edition,
			Clusters: map[string]toolhive.PlatformClusterArgs{
				"control": {Role: toolhive.ClusterRoleControl, Provider: providers["control"], RegistryServer: registry},
				"eu-west": {
					Role:     toolhive.ClusterRoleWorkload,
					Provider: providers["eu-west"],
					ToolhiveOperator: &toolhive.OperatorSettingsArgs{
						Rbac: &toolhive.RbacScopeArgs{Scope: toolhive.RbacModeNamespace, AllowedNamespaces: []string{"payments"}},
					},
				},
				"us-east": {Role: toolhive.ClusterRoleWorkload, Provider: providers["us-east"], ToolhiveOperator: &toolhive.OperatorSettingsArgs{}},
			},
		}
		if only != "" {
			args.OnlyCluster = &only
		}
		platform, err := toolhive.NewToolhivePlatform(ctx, "acme", args)
		if err != nil {
			return err
		}

		ctx.Export("clusterNames", platform.ClusterNames)
		ctx.Export("endpoints", platform.Endpoints)
		return nil
	})
}
