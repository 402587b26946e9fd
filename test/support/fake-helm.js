#!/usr/bin/env node
/*
 * A stand-in for `helm` in tests (no helm binary is installed here). It records the
 * arguments it was given and the values file's content to $FAKE_HELM_LOG (one JSON line
 * per call) and prints one ConfigMap plus one namespace-less Deployment per call, so
 * tests can see where the output lands.
 */
const fs = require('fs');
const args = process.argv.slice(2);
const f = args.indexOf('-f');
const values = f >= 0 ? fs.readFileSync(args[f + 1], 'utf8') : null;
if (process.env.FAKE_HELM_LOG) fs.appendFileSync(process.env.FAKE_HELM_LOG, JSON.stringify({ args, values }) + '\n');
const release = args[args.length - 2];
const chart = args[args.length - 1].split('/').pop();
process.stdout.write([
  '---',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  `  name: ${release}-rendered`,
  `  namespace: ${args[args.indexOf('--namespace') + 1]}`,
  'data:',
  `  chart: ${chart}`,
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  `  name: ${release}-no-namespace`,
  'spec:',
  '  selector: {matchLabels: {a: b}}',
  '  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}',
  '',
].join('\n'));
