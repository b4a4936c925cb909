// Composes filmgraph's subgraph schema (its `_service { sdl }`, from FILMGRAPH_URL) with a
// small second subgraph that references Movie and Person by key, using Apollo's own
// composition library, as a gateway's or router's supergraph build would. Prints one JSON
// line: composition errors and hints, and the fields the supergraph has on Movie and Person.
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

const url = `${process.env.FILMGRAPH_URL}/graphql`;
const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
const { data, errors } = await res.json();
const out = { errors: [], hints: 0, movieFields: [], personFields: [] };
if (errors) {
  out.errors.push(JSON.stringify(errors));
} else {
  const watchlists = `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Movie @key(fields: "id") { id: ID! inWatchlists: Int! }
    type Person @key(fields: "id") { id: ID! followers: Int! }
    type Query { mostWatchlisted: [Movie!]! }
  `;
  const result = composeServices([
    { name: 'filmgraph', url, typeDefs: parse(data._service.sdl) },
    { name: 'watchlists', url: 'http://watchlists.invalid/graphql', typeDefs: parse(watchlists) },
  ]);
  out.errors = (result.errors ?? []).map((e) => e.message);
  out.hints = (result.hints ?? []).length;
  if (result.supergraphSdl) {
    const api = result.schema.toAPISchema().toGraphQLJSSchema();
    out.movieFields = Object.keys(api.getType('Movie').getFields()).sort();
    out.personFields = Object.keys(api.getType('Person').getFields()).sort();
  }
}
console.log(JSON.stringify(out));
