"""Test scaffolding, never part of a user's program (test/cluster/pulumi-languages.cluster.ts).

With no kubelet, scheduler or controller-manager behind the test API servers, Deployments never
become ready and foreground deletes never finish: every Kubernetes object but the CRDs gets
`pulumi.com/skipAwait: "true"` and `pulumi.com/deletionPropagationPolicy: background` (the same
transform as the TypeScript harness's), registered before the program (program.py) runs. A stack
transform reaches the objects the component package's plugin creates.
"""
import runpy

import pulumi


def _scaffold(args: pulumi.ResourceTransformArgs):
    kind = args.type_
    if kind == "kubernetes:helm.sh/v3:Release":
        return pulumi.ResourceTransformResult({**args.props, "skipAwait": True}, args.opts)
    kube_object = kind.startswith("kubernetes:") and not kind.startswith(("kubernetes:yaml", "kubernetes:helm"))
    if not kube_object or kind == "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition":
        return None
    props = dict(args.props)
    metadata = dict(props.get("metadata") or {})
    metadata["annotations"] = {
        **(metadata.get("annotations") or {}),
        "pulumi.com/skipAwait": "true",
        "pulumi.com/deletionPropagationPolicy": "background",
    }
    props["metadata"] = metadata
    return pulumi.ResourceTransformResult(props, args.opts)


pulumi.runtime.register_resource_transform(_scaffold)
runpy.run_path("program.py", run_name="__main__")
