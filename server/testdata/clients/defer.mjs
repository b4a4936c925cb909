// Reads the film page with its recommendations deferred (@defer over multipart/mixed) from
// FILMGRAPH_URL with Apollo Client (Defer20220824Handler) and urql (fetchExchange), as the
// README's "From a frontend" section sets them up. Records what each client showed, in
// order: whether the title and the recommendations were there. Prints one JSON line;
// clients_test.go checks it.
import { format } from 'node:util';
import { ApolloClient, InMemoryCache, HttpLink, gql } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { Client, cacheExchange, fetchExchange } from '@urql/core';

const url = `${process.env.FILMGRAPH_URL}/graphql`;
const problems = [];
for (const level of ['warn', 'error']) {
  console[level] = (...args) => problems.push(`console.${level}: ${format(...args).slice(0, 1500)}`);
}

const moviePage = `query MoviePageDeferred($id: ID!) {
  movie(id: $id) {
    id title year
    ... @defer(label: "picks") {
      recommended(first: 6) { edges { node { score movie { id title } } } }
    }
  }
}`;
const variables = { id: 'TW92aWU6ODA5Njk' }; // "Never Let Me Go"

const seen = (movie) => ({ title: movie?.title ?? null, recommended: movie?.recommended?.edges?.map((e) => e.node.movie.id) ?? null });

async function apollo() {
  // The README's set-up.
  const client = new ApolloClient({
    link: new HttpLink({ uri: url }),
    cache: new InMemoryCache(),
    incrementalHandler: new Defer20220824Handler(),
  });
  const shown = [];
  await new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`apollo: no recommendations within 30 s: ${JSON.stringify(shown)}`)), 30000).unref();
    const sub = client.watchQuery({ query: gql(moviePage), variables }).subscribe({
      next: (result) => {
        if (result.error) reject(result.error);
        if (!result.data?.movie) return;
        shown.push({ ...seen(result.data.movie), state: result.dataState });
        // gqlgen sends the deferred field as null in the first part, so Apollo calls that
        // state complete already: wait for the recommendations themselves.
        if (result.data.movie.recommended) { sub.unsubscribe(); resolve(); }
      },
      error: reject,
    });
  });
  return shown;
}

async function urql() {
  // The README's set-up: POST (urql sends queries with GET by default, which cannot
  // stream), and urql reads multipart/mixed by itself.
  const client = new Client({ url, exchanges: [cacheExchange, fetchExchange], preferGetMethod: false });
  const shown = [];
  await new Promise((resolve, reject) => {
    const { unsubscribe } = client.query(moviePage, variables).subscribe((result) => {
      if (result.error) reject(result.error);
      shown.push({ ...seen(result.data?.movie), state: result.hasNext ? 'streaming' : 'complete' });
      if (!result.hasNext) { setTimeout(() => unsubscribe()); resolve(); }
    });
  });
  return shown;
}

const result = { apollo: null, urql: null, problems };
try {
  result.apollo = await apollo();
  result.urql = await urql();
} catch (err) {
  problems.push(err.stack ?? String(err));
}
console.log(JSON.stringify(result));
