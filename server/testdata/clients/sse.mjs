// Subscriptions over Server-Sent Events with the real `graphql-sse` client (distinct
// connections mode, its default), set up as the README's "From a frontend" section shows,
// against FILMGRAPH_URL. MODE picks what to check:
//   events  (default) a subscription hears a rating given by MEMBER_TOKEN; a bad id, an
//           invalid operation and a query answer with results as over WebSocket;
//   streams the server allows one stream per address: a second one is refused with 429;
//   subscriptions the server allows one subscription per address: a second one gets a
//           RATE_LIMITED result, then completes.
// Prints one JSON line; clients_test.go checks it.
import { createClient } from 'graphql-sse';

const base = process.env.FILMGRAPH_URL;
const url = `${base}/graphql`;
const mode = process.env.MODE ?? 'events';
const film = 'TW92aWU6MjU3Mg'; // MovieLens 2572, "10 Things I Hate About You"
const out = { mode, problems: [] };

// The README's set-up (the Authorization header is optional: anonymous without it).
const client = createClient({ url, retryAttempts: 0 });

// subscribe runs one operation and collects its results until it completes or fails.
function subscribe(query, variables) {
  const results = [];
  let stop;
  const done = new Promise((resolve) => {
    stop = client.subscribe({ query, variables }, {
      next: (r) => results.push(r),
      error: (err) => resolve({ results, error: { message: String(err.message ?? err), status: err.response?.status ?? null } }),
      complete: () => resolve({ results, completed: true }),
    });
  });
  return { results, done, stop: () => stop() };
}

async function post(query, variables, token) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

const codes = (r) => (r?.errors ?? []).map((e) => e.extensions?.code);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const changed = `subscription($id: ID!) { ratingSummaryChanged(movieId: $id) { id ratingSummary { id count } } }`;

async function events() {
  const token = process.env.MEMBER_TOKEN;
  const sub = subscribe(changed, { id: film });
  // The subscription starts once the server has read the request: rate until an event
  // arrives (the member's rating replaces itself, so the count moves once at most).
  for (let i = 0; i < 30 && sub.results.length === 0; i++) {
    const rated = await post(`mutation($id: ID!, $s: Int!) { rateMovie(movieId: $id, score: $s) { id } }`, { id: film, s: 1 + (i % 10) }, token);
    if (rated.errors) throw new Error(`rateMovie: ${JSON.stringify(rated.errors)}`);
    for (let w = 0; w < 10 && sub.results.length === 0; w++) await sleep(100);
  }
  sub.stop();
  const server = await post(`query($id: ID!) { movie(id: $id) { id ratingSummary { id count } } }`, { id: film }, token);
  out.event = sub.results[0]?.data?.ratingSummaryChanged ?? null;
  out.server = server.data.movie;

  const badId = await subscribe(changed, { id: 'not-an-id' }).done;
  out.badId = { codes: badId.results.flatMap(codes), completed: !!badId.completed };
  const invalid = await subscribe(`subscription { ratingSummaryChanged(movieId: "${film}") { nope } }`).done;
  out.invalid = { codes: invalid.results.flatMap(codes), completed: !!invalid.completed };
  const query = await subscribe(`query($id: ID!) { movie(id: $id) { title } }`, { id: film }).done;
  out.query = { title: query.results[0]?.data?.movie?.title ?? null, results: query.results.length, completed: !!query.completed };
}

// holdOne opens a subscription that waits for events, and gives the server time to take
// its places (it answers with the stream's first bytes once it has).
async function holdOne() {
  const held = subscribe(changed, { id: film });
  await sleep(1000);
  return held;
}

async function streams() {
  const held = await holdOne();
  const refused = await subscribe(changed, { id: film }).done;
  out.refused = { error: refused.error ?? null, results: refused.results.length };
  // The refusal's body, as a client that reads it sees it.
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: changed, variables: { id: film } }) });
  out.refusedBody = { status: res.status, retryAfter: res.headers.get('retry-after'), codes: codes(await res.json()) };
  held.stop();
}

async function subscriptions() {
  const held = await holdOne();
  const second = await subscribe(changed, { id: film }).done;
  out.second = { codes: second.results.flatMap(codes), completed: !!second.completed };
  held.stop();
}

try {
  await { events, streams, subscriptions }[mode]();
} catch (err) {
  out.problems.push(err.stack ?? String(err));
}
client.dispose();
console.log(JSON.stringify(out));
