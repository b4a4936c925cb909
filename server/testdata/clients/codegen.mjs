// Fetches the SDL the server publishes (GET /graphql/schema.graphql), checks that it
// describes the same schema as introspection, and runs graphql-codegen (typescript and
// typescript-operations) on it with the operations of docs/queries. Prints one JSON line;
// clients_test.go checks it.
import { readFileSync, readdirSync } from 'node:fs';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, parse, printSchema } from 'graphql';
import { codegen } from '@graphql-codegen/core';
import * as typescript from '@graphql-codegen/typescript';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';

const base = process.env.FILMGRAPH_URL;
const problems = [];
const res = await fetch(`${base}/graphql/schema.graphql`);
const sdl = await res.text();
if (res.status !== 200) problems.push(`GET /graphql/schema.graphql: ${res.status} ${sdl.slice(0, 200)}`);

const fromSDL = buildSchema(sdl);
const introspection = await (await fetch(`${base}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, directiveIsRepeatable: true }) }),
})).json();
const fromIntrospection = buildClientSchema(introspection.data);
const printed = (s) => printSchema(lexicographicSortSchema(s));
if (printed(fromSDL) !== printed(fromIntrospection)) {
  const a = printed(fromSDL).split('\n'), b = printed(fromIntrospection).split('\n');
  const i = a.findIndex((line, k) => line !== b[k]);
  problems.push(`the SDL and introspection differ from line ${i}: ${JSON.stringify(a.slice(i, i + 3))} vs ${JSON.stringify(b.slice(i, i + 3))}`);
}

const docsDir = new URL('../../../docs/queries/', import.meta.url);
const documents = readdirSync(docsDir).filter((f) => f.endsWith('.graphql')).sort()
  .map((f) => ({ location: f, document: parse(readFileSync(new URL(f, docsDir), 'utf8')) }));
let output = '';
try {
  output = await codegen({
    filename: 'types.ts',
    schema: parse(sdl),
    documents,
    config: {},
    plugins: [{ typescript: {} }, { typescriptOperations: {} }],
    pluginMap: { typescript, typescriptOperations },
  });
} catch (err) {
  problems.push(`graphql-codegen: ${err.stack ?? err}`);
}
const operationTypes = [...output.matchAll(/^export type (\w+Query) = /gm)].map((m) => m[1]);
console.log(JSON.stringify({ sdlLines: sdl.split('\n').length, outputBytes: output.length, operationTypes, problems }));
