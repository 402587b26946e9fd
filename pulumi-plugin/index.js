'use strict';
// The component package's entry. Pulumi's Node.js plugin runner (@pulumi/pulumi/cmd/run-plugin)
// requires this folder and runs the function it exports: the component provider host serving
// ToolhiveOperator, RegistryServer and ToolhivePlatform, with the generated schema.json.
module.exports = () => require('../lib/pulumi/index.js').serveComponentPackage(__dirname);
