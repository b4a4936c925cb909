// Drives Apollo Client (default InMemoryCache) and urql (@urql/core's default cache) through
// the example operations of docs/queries and every mutation, against FILMGRAPH_URL, as a
// member (and a moderator, MODERATOR_TOKEN, for the moderation mutations). After each
// mutation the film page held in the cache must be complete and equal what the server
// answers to a request that bypasses the cache. Prints one JSON line: the checks run and
// every problem (cache warnings included); clients_test.go checks it.
import { readFileSync, readdirSync } from 'node:fs';
import { format } from 'node:util';
import { buildSchema, isAbstractType } from 'graphql';

globalThis.__DEV__ = true; // Apollo Client's development checks and warnings
const { ApolloClient, InMemoryCache, HttpLink, gql } = await import('@apollo/client');
const { loadDevMessages, loadErrorMessages } = await import('@apollo/client/dev');
const { Client, cacheExchange, fetchExchange } = await import('@urql/core');
loadDevMessages();
loadErrorMessages();

const url = `${process.env.FILMGRAPH_URL}/graphql`;
const moderatorToken = process.env.MODERATOR_TOKEN;
const problems = [];
const checks = [];
let step = 'setup';

// Every warning or error a client logs is a problem of the step that caused it.
for (const level of ['warn', 'error']) {
  console[level] = (...args) => problems.push(`${step}: console.${level}: ${format(...args).slice(0, 1500)}`);
}

const docsDir = new URL('../../../docs/queries/', import.meta.url);
const examples = readdirSync(docsDir).filter((f) => f.endsWith('.graphql')).sort()
  .map((f) => ({ name: f.replace(/\.graphql$/, ''), text: readFileSync(new URL(f, docsDir), 'utf8') }));
const moviePageText = examples.find((e) => e.name === 'moviePage').text;

// Films other tests do not count on (the mutations leave a rating and a synopsis behind).
const film = 'TW92aWU6NDk3Mw'; // MovieLens 4973, "Amelie"
const otherFilm = 'TW92aWU6MzE4'; // MovieLens 318, "The Shawshank Redemption"

// raw sends an operation past every client cache: the server's own answer.
async function raw(query, variables, token) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(`${JSON.stringify(body.errors)}`);
  return body.data;
}

const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

// The mutations, in an order in which each can succeed, with the selections a client
// writes to update the film page it shows. vars(state) gives the variables; keep(data,
// state) remembers ids for later steps.
const mutations = [
  ['rateMovie', `mutation($id: ID!) { rateMovie(movieId: $id, score: 8) { id ratingSummary { id average count histogram } viewerState { id rating } } }`, () => ({ id: film })],
  ['addToCollection', `mutation($id: ID!) { addToCollection(movieId: $id) { id viewerState { id inCollection } } }`, () => ({ id: film })],
  ['addToFavorites', `mutation($id: ID!) { addToFavorites(movieId: $id) { id viewerState { id isFavorite } } }`, () => ({ id: film })],
  ['addToWatchlist', `mutation($id: ID!) { addToWatchlist(movieId: $id) { id viewerState { id onWatchlist } } }`, () => ({ id: film })],
  ['clearRating', `mutation($id: ID!) { clearRating(movieId: $id) { id ratingSummary { id average count histogram } viewerState { id rating } } }`, () => ({ id: film })],
  ['rateMovie again', `mutation($id: ID!) { rateMovie(movieId: $id, score: 6) { id ratingSummary { id average count histogram } viewerState { id rating } } }`, () => ({ id: film })],
  ['removeFromWatchlist', `mutation($id: ID!) { removeFromWatchlist(movieId: $id) { id viewerState { id onWatchlist } } }`, () => ({ id: film })],
  ['removeFromFavorites', `mutation($id: ID!) { removeFromFavorites(movieId: $id) { id viewerState { id isFavorite } } }`, () => ({ id: film })],
  ['removeFromCollection', `mutation($id: ID!) { removeFromCollection(movieId: $id) { id viewerState { id inCollection } } }`, () => ({ id: film })],
  ['hideRecommendation', `mutation($id: ID!) { hideRecommendation(movieId: $id) { id title } }`, () => ({ id: otherFilm })],
  ['unhideRecommendation', `mutation($id: ID!) { unhideRecommendation(movieId: $id) { id title } }`, () => ({ id: otherFilm })],
  ['writeReview', `mutation($id: ID!, $text: String!) { writeReview(movieId: $id, text: $text, score: 9) { id text score addedAt editedAt author { id username } movie { id ratingSummary { id average count histogram } viewerState { id rating review { id } } } } }`,
    () => ({ id: film, text: `Written by the cache test ${stamp}.` }), (d, s) => { s.review = d.writeReview.id; }],
  ['editReview', `mutation($id: ID!) { editReview(reviewId: $id, text: "Edited by the cache test.", score: 7) { id text score editedAt movie { id ratingSummary { id average count histogram } viewerState { id rating } } } }`, (s) => ({ id: s.review })],
  ['addComment', `mutation($id: ID!) { addComment(reviewId: $id, text: "A comment of the cache test.") { id text addedAt author { id username } } }`,
    (s) => ({ id: s.review }), (d, s) => { s.comment = d.addComment.id; }],
  ['deleteComment', `mutation($id: ID!) { deleteComment(commentId: $id) { id comments(first: 5) { totalCount edges { node { id } } } } }`, (s) => ({ id: s.comment })],
  ['submitSynopsis', `mutation($id: ID!) { submitSynopsis(movieId: $id, text: "A synopsis of the cache test.") { id status } }`,
    () => ({ id: film }), (d, s) => { s.submission = d.submitSynopsis.id; }],
  ['submitSynopsis (second)', `mutation($id: ID!) { submitSynopsis(movieId: $id, text: "Another synopsis of the cache test.") { id status } }`,
    () => ({ id: film }), (d, s) => { s.submission2 = d.submitSynopsis.id; }],
  ['createList', `mutation($t: String!) { createList(title: $t, description: "made by the cache test", public: true) { id title description public createdAt owner { id username } } }`,
    () => ({ t: `Cache test ${stamp}` }), (d, s) => { s.list = d.createList.id; }],
  ['updateList', `mutation($id: ID!) { updateList(listId: $id, title: "Cache test, renamed") { id title } }`, (s) => ({ id: s.list })],
  ['addToList', `mutation($l: ID!, $m: ID!) { addToList(listId: $l, movieId: $m) { id movies { totalCount } } }`, (s) => ({ l: s.list, m: film })],
  ['addToList (second film)', `mutation($l: ID!, $m: ID!) { addToList(listId: $l, movieId: $m) { id movies { totalCount } } }`, (s) => ({ l: s.list, m: otherFilm })],
  ['moveInList', `mutation($l: ID!, $m: ID!) { moveInList(listId: $l, movieId: $m, position: 0) { id movies { totalCount } } }`, (s) => ({ l: s.list, m: otherFilm })],
  ['removeFromList', `mutation($l: ID!, $m: ID!) { removeFromList(listId: $l, movieId: $m) { id movies { totalCount } } }`, (s) => ({ l: s.list, m: otherFilm })],
  ['deleteReview', `mutation($id: ID!) { deleteReview(reviewId: $id) { id viewerState { id review { id } } reviews(first: 10, orderBy: NEWEST) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }`, (s) => ({ id: s.review })],
  ['deleteList', `mutation($id: ID!) { deleteList(listId: $id) { id username } }`, (s) => ({ id: s.list })],
  // The moderator's, last: they change the page under the member's cache.
  ['rejectSynopsis', `mutation($id: ID!) { rejectSynopsis(submissionId: $id) { id status } }`, (s) => ({ id: s.submission2 }), null, 'moderator'],
  ['acceptSynopsis', `mutation($id: ID!) { acceptSynopsis(submissionId: $id) { id status movie { id synopsis synopsisAuthor { id username } } } }`, (s) => ({ id: s.submission }), null, 'moderator'],
];

// The parts of the film page the mutations change, without the __typename fields clients
// add; the cache must agree with the server.
const withoutTypename = (v) => (Array.isArray(v) ? v.map(withoutTypename)
  : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== '__typename').map(([k, x]) => [k, withoutTypename(x)]))
  : v);
const pageParts = (movie) => movie && withoutTypename({
  ratingSummary: movie.ratingSummary,
  viewerState: movie.viewerState,
  synopsis: movie.synopsis,
  synopsisAuthor: movie.synopsisAuthor,
});

function compare(what, cached, server) {
  checks.push(what);
  if (cached == null) {
    problems.push(`${what}: the cached film page is incomplete (readQuery gave ${JSON.stringify(cached)})`);
  } else if (JSON.stringify(pageParts(cached)) !== JSON.stringify(pageParts(server))) {
    problems.push(`${what}: cache ${JSON.stringify(pageParts(cached))} != server ${JSON.stringify(pageParts(server))}`);
  }
}

// signUp through the client itself: it is a mutation too.
async function member(mutate, label) {
  const name = `cache-${label}-${stamp}`.slice(0, 32);
  step = `${label}: signUp`;
  const signUp = await mutate(`mutation($u: String!, $e: String!) { signUp(username: $u, email: $e, password: "correct horse") { token expiresAt user { id username } } }`,
    { u: name, e: `${name}@example.org` });
  step = `${label}: logIn`;
  const logIn = await mutate(`mutation($u: String!) { logIn(usernameOrEmail: $u, password: "correct horse") { token expiresAt user { id username } } }`, { u: name });
  return logIn.logIn.token ?? signUp.signUp.token;
}

// Apollo Client matches fragments on unions and interfaces (SearchItem, RecommendationVia,
// Node) only with possibleTypes, which it documents to generate from the schema: here from
// the SDL the server publishes.
async function possibleTypes() {
  const schema = buildSchema(await (await fetch(`${process.env.FILMGRAPH_URL}/graphql/schema.graphql`)).text());
  return Object.fromEntries(Object.values(schema.getTypeMap()).filter(isAbstractType)
    .map((t) => [t.name, schema.getPossibleTypes(t).map((p) => p.name)]));
}

async function apollo() {
  const cache = () => new InMemoryCache({ possibleTypes: types });
  const types = await possibleTypes();
  let token = null;
  const headers = () => (token ? { authorization: `Bearer ${token}` } : {});
  const link = new HttpLink({ uri: url, fetch: (u, init) => fetch(u, { ...init, headers: { ...init.headers, ...headers() } }) });
  const moderator = new ApolloClient({ link: new HttpLink({ uri: url, headers: { authorization: `Bearer ${moderatorToken}` } }), cache: cache() });
  const client = new ApolloClient({ link, cache: cache() });
  const mutate = async (text, variables, who = client) => (await who.mutate({ mutation: gql(text), variables })).data;
  token = await member(mutate, 'apollo');
  await client.clearStore();

  for (const { name, text } of examples) {
    step = `apollo: ${name}`;
    const res = await client.query({ query: gql(text) });
    checks.push(step);
    if (!res.data || res.error) problems.push(`${step}: ${JSON.stringify(res.error)}`);
  }
  const moviePage = gql(moviePageText);
  step = 'apollo: moviePage of the film the mutations change';
  await client.query({ query: moviePage, variables: { id: film } });
  await moderator.query({ query: moviePage, variables: { id: film } });
  const state = {};
  for (const [name, text, vars, keep, as] of mutations) {
    step = `apollo: ${name}`;
    const [who, whoToken] = as === 'moderator' ? [moderator, moderatorToken] : [client, token];
    // The moderator opens the page now: the member's writes came after its first read.
    if (as === 'moderator') await who.query({ query: moviePage, variables: { id: film }, fetchPolicy: 'network-only' });
    const data = await mutate(text, vars(state), who);
    keep?.(data, state);
    const cached = who.readQuery({ query: moviePage, variables: { id: film } });
    compare(step, cached?.movie, (await raw(moviePageText, { id: film }, whoToken)).movie);
  }
}

async function urql() {
  let token = null;
  const client = new Client({ url, exchanges: [cacheExchange, fetchExchange], fetchOptions: () => (token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
  const moderator = new Client({ url, exchanges: [cacheExchange, fetchExchange], fetchOptions: { headers: { authorization: `Bearer ${moderatorToken}` } } });
  const mutate = async (text, variables, who = client) => {
    const res = await who.mutation(text, variables).toPromise();
    if (res.error) throw new Error(`${step}: ${res.error.message}`);
    return res.data;
  };
  token = await member(mutate, 'urql');

  for (const { name, text } of examples) {
    step = `urql: ${name}`;
    const res = await client.query(text, {}).toPromise();
    checks.push(step);
    if (!res.data || res.error) problems.push(`${step}: ${res.error?.message}`);
  }
  step = 'urql: moviePage of the film the mutations change';
  await client.query(moviePageText, { id: film }).toPromise();
  await moderator.query(moviePageText, { id: film }).toPromise();
  const state = {};
  for (const [name, text, vars, keep, as] of mutations) {
    step = `urql: ${name}`;
    const [who, whoToken] = as === 'moderator' ? [moderator, moderatorToken] : [client, token];
    if (as === 'moderator') await who.query(moviePageText, { id: film }, { requestPolicy: 'network-only' }).toPromise();
    keep?.(await mutate(text, vars(state), who), state);
    // The page as the client now shows it: from its cache, or refetched where the
    // mutation's types invalidated it.
    const shown = await who.query(moviePageText, { id: film }).toPromise();
    compare(step, shown.data?.movie, (await raw(moviePageText, { id: film }, whoToken)).movie);
  }
}

try {
  await apollo();
  await urql();
} catch (err) {
  problems.push(`${step}: ${err.stack ?? err}`);
}
console.log(JSON.stringify({ checks, problems }));
