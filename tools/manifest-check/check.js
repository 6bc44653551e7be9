#!/usr/bin/env node
// Validates every object in multi-document Kubernetes YAML files (or "-" for stdin) against the Kubernetes
// OpenAPI schemas shipped by kubernetes-models, plus checks the schemas do not make: object names, label syntax,
// duplicate objects. kubernetes-models does not reject unknown fields. Objects of API groups it does not know
// (e.g. cert-manager.io) fail unless their group is named with --skip-group=<group>.
// Usage: node check.js [--skip-group=cert-manager.io] file.yaml... ; exit code 0 = all valid, 1 = problems.
'use strict';
const fs = require('fs');
const YAML = require('yaml');

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function modelFor(apiVersion, kind) {
  // Core objects live under kubernetes-models/v1, others under kubernetes-models/<group>/<version>.
  let group;
  try {
    group = require(`kubernetes-models/${apiVersion}`);
  } catch {
    return undefined;
  }
  return group[kind];
}

function labelProblems(labels, where) {
  const problems = [];
  for (const [key, value] of Object.entries(labels || {})) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : '';
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((prefix && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) || name.length > 63 || !LABEL_NAME.test(name)) {
      problems.push(`${where}: invalid label key "${key}"`);
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      problems.push(`${where}: invalid value for label "${key}": ${JSON.stringify(value)} (labels are strings; quote "true")`);
    }
  }
  return problems;
}

function checkObject(object, where, skipGroups) {
  const problems = [];
  if (!object || typeof object !== 'object') return { problems: [`${where}: not an object`] };
  const { apiVersion, kind, metadata } = object;
  if (!apiVersion || !kind) return { problems: [`${where}: apiVersion and kind are required`] };
  const id = `${kind} ${metadata && metadata.namespace ? metadata.namespace + '/' : ''}${metadata && metadata.name}`;
  if (!metadata || typeof metadata.name !== 'string' || metadata.name.length > 253 || !DNS_SUBDOMAIN.test(metadata.name)) {
    problems.push(`${where} ${id}: metadata.name must be a DNS subdomain`);
  }
  problems.push(...labelProblems(metadata && metadata.labels, `${where} ${id} metadata.labels`));
  const template = object.spec && object.spec.template && object.spec.template.metadata;
  if (template) problems.push(...labelProblems(template.labels, `${where} ${id} spec.template.metadata.labels`));

  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const Model = modelFor(apiVersion, kind);
  if (!Model) {
    if (skipGroups.has(group)) return { id, skipped: true, problems };
    problems.push(`${where} ${id}: no schema for ${apiVersion} ${kind} (misspelled kind or apiVersion?)`);
    return { id, problems };
  }
  try {
    new Model(object).validate();
  } catch (error) {
    const details = (error.errors || []).map(e => `${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
    problems.push(`${where} ${id}: ${details.length ? details.join('; ') : error.message}`);
  }
  return { id, problems };
}

function main(argv) {
  const skipGroups = new Set(argv.filter(a => a.startsWith('--skip-group=')).map(a => a.slice('--skip-group='.length)));
  const files = argv.filter(a => !a.startsWith('--'));
  if (files.length === 0) {
    console.error('usage: node check.js [--skip-group=<api group>] <file.yaml|-> ...');
    return 2;
  }
  const problems = [];
  const seen = new Set();
  let valid = 0;
  let skipped = 0;
  for (const file of files) {
    const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
    const documents = YAML.parseAllDocuments(text);
    documents.forEach((document, index) => {
      const where = `${file}#${index + 1}`;
      if (document.errors.length) {
        problems.push(...document.errors.map(e => `${where}: YAML: ${e.message}`));
        return;
      }
      const object = document.toJSON();
      if (object === null || object === undefined) return;
      const result = checkObject(object, where, skipGroups);
      problems.push(...result.problems);
      if (result.id) {
        const key = `${object.apiVersion}/${result.id}`;
        if (seen.has(key)) problems.push(`${where} ${result.id}: defined twice`);
        seen.add(key);
      }
      if (result.problems.length === 0) {
        if (result.skipped) {
          skipped++;
          console.log(`skipped (no schema for group): ${result.id}`);
        } else {
          valid++;
          console.log(`valid: ${result.id}`);
        }
      }
    });
  }
  for (const problem of problems) console.error(`invalid: ${problem}`);
  console.log(`${valid} valid, ${skipped} skipped, ${problems.length} problem(s)`);
  return problems.length === 0 && valid + skipped > 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
