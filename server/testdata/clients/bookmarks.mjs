// Drives the README's bookmark link (Apollo Client) and exchange (urql), as written there,
// against two replicas: each client writes a review through REPLICA_B, then reads it
// through REPLICA_A with the bookmark it kept, then reads with a forged bookmark (which the
// server must refuse, proving the header is sent). Prints one JSON line; replica_test.go
// checks it.
import { tap } from 'rxjs';

const { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } = await import('@apollo/client');
const { Client, cacheExchange, fetchExchange, mapExchange } = await import('@urql/core');

const [replicaA, replicaB] = [`${process.env.REPLICA_A}/graphql`, `${process.env.REPLICA_B}/graphql`];
const auth = { authorization: `Bearer ${process.env.MEMBER_TOKEN}` };
const [apolloMovie, urqlMovie] = process.env.MOVIE_IDS.split(','); // one review per member and film
const forged = 'bm90LWEtYm9va21hcms'; // base64url of "not-a-bookmark"
const write = `mutation($m: ID!, $t: String!) { writeReview(movieId: $m, text: $t, score: 6) { id } }`;
const read = `query($id: ID!) { node(id: $id) { id ... on Review { text } } }`;
const out = {};

// Apollo Client: the README's link, one client per replica sharing the bookmark.
{
  let bookmark = null;
  const bookmarks = new ApolloLink((operation, forward) => {
    if (bookmark) operation.setContext(({ headers = {} }) => ({ headers: { ...headers, 'Filmgraph-Bookmark': bookmark } }));
    return forward(operation).pipe(tap((result) => {
      if (result.extensions?.bookmark) bookmark = result.extensions.bookmark;
    }));
  });
  const clientFor = (uri) => new ApolloClient({ link: bookmarks.concat(new HttpLink({ uri, headers: auth })), cache: new InMemoryCache() });
  const [a, b] = [clientFor(replicaA), clientFor(replicaB)];
  const text = `Apollo through B ${Date.now()}`;
  const written = await b.mutate({ mutation: gql(write), variables: { m: apolloMovie, t: text } });
  const id = written.data.writeReview.id;
  const afterWrite = bookmark;
  const got = await a.query({ query: gql(read), variables: { id }, fetchPolicy: 'network-only' });
  bookmark = forged;
  let refused = '';
  try {
    await a.query({ query: gql(read), variables: { id }, fetchPolicy: 'network-only' });
  } catch (e) {
    refused = String(e?.message ?? e);
  }
  out.apollo = { bookmark: afterWrite, wrote: text, read: got.data?.node?.text ?? null, forged: refused };
}

// urql: the README's fetchOptions and mapExchange, one client per replica.
{
  let bookmark = null;
  const clientFor = (url) => new Client({
    url,
    fetchOptions: () => ({ headers: { ...auth, ...(bookmark ? { 'Filmgraph-Bookmark': bookmark } : {}) } }),
    exchanges: [cacheExchange, mapExchange({ onResult(result) {
      if (result.extensions?.bookmark) bookmark = result.extensions.bookmark;
    } }), fetchExchange],
  });
  const [a, b] = [clientFor(replicaA), clientFor(replicaB)];
  const text = `urql through B ${Date.now()}`;
  const written = await b.mutation(write, { m: urqlMovie, t: text }).toPromise();
  const id = written.data?.writeReview?.id;
  const afterWrite = bookmark;
  const got = await a.query(read, { id }, { requestPolicy: 'network-only' }).toPromise();
  bookmark = forged;
  const refused = await a.query(read, { id }, { requestPolicy: 'network-only' }).toPromise();
  out.urql = { bookmark: afterWrite, wrote: text, read: got.data?.node?.text ?? null, error: String(got.error ?? ''), forged: String(refused.error ?? '') };
}

console.log(JSON.stringify(out));
