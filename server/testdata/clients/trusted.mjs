// Apollo Client against a server that runs trusted documents only, set up as the README's
// "From a frontend" section shows: a PersistedQueryLink whose ids come from the manifest
// (docs/queries/manifest.json, @apollo/persisted-query-lists). Every example query answers
// without an error or a cache warning; an operation sent as free text is refused with
// OPERATION_NOT_TRUSTED. Prints one JSON line; trusted_test.go checks it.
import { readFileSync, readdirSync } from 'node:fs';
import { format } from 'node:util';
import { buildSchema, isAbstractType } from 'graphql';

globalThis.__DEV__ = true;
const { ApolloClient, InMemoryCache, HttpLink, gql } = await import('@apollo/client');
const { PersistedQueryLink } = await import('@apollo/client/link/persisted-queries');
const { generatePersistedQueryIdsFromManifest } = await import('@apollo/persisted-query-lists');

const url = `${process.env.FILMGRAPH_URL}/graphql`;
const problems = [];
const answered = [];
let step = 'setup';
for (const level of ['warn', 'error']) {
  console[level] = (...args) => problems.push(`${step}: console.${level}: ${format(...args).slice(0, 1500)}`);
}

const docsDir = new URL('../../../docs/queries/', import.meta.url);
const examples = readdirSync(docsDir).filter((f) => f.endsWith('.graphql')).sort()
  .map((f) => ({ name: f.replace(/\.graphql$/, ''), text: readFileSync(new URL(f, docsDir), 'utf8') }));

// possibleTypes for the fragments on unions and interfaces, from the published SDL.
const schema = buildSchema(await (await fetch(`${process.env.FILMGRAPH_URL}/graphql/schema.graphql`)).text());
const possibleTypes = Object.fromEntries(Object.values(schema.getTypeMap()).filter(isAbstractType)
  .map((t) => [t.name, schema.getPossibleTypes(t).map((p) => p.name)]));

// The README's set-up.
const manifest = JSON.parse(readFileSync(new URL('manifest.json', docsDir), 'utf8'));
const client = new ApolloClient({
  cache: new InMemoryCache({ possibleTypes }),
  link: new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest }))
    .concat(new HttpLink({ uri: url })),
});

const result = { answered, refused: null, problems };
try {
  for (const { name, text } of examples) {
    step = `trusted: ${name}`;
    const res = await client.query({ query: gql(text) });
    if (res.error || !res.data) problems.push(`${step}: ${JSON.stringify(res.error)}`);
    else answered.push(name);
  }
  step = 'free text';
  const plain = new ApolloClient({ cache: new InMemoryCache(), link: new HttpLink({ uri: url }) });
  const res = await plain.query({ query: gql('query freeText { movie(id: "TW92aWU6ODA5Njk") { id title } }'), errorPolicy: 'all' });
  result.refused = { codes: (res.error?.errors ?? []).map((e) => e.extensions?.code), data: res.data ?? null };
} catch (err) {
  problems.push(`${step}: ${err.stack ?? err}`);
}
console.log(JSON.stringify(result));
