// The GraphQL client of the demo page and the widget: urql over HTTP for queries and
// mutations, graphql-ws (graphql-transport-ws) for subscriptions. The access token from
// signUp/logIn is kept in localStorage and sent as a Bearer header and in connection_init.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWSClient, type Client as WSClient } from 'graphql-ws';

const tokenKey = 'filmgraph.token';
const userKey = 'filmgraph.username';

/** The logged-in visitor, or null. */
export function session(): { token: string; username: string } | null {
  const token = localStorage.getItem(tokenKey);
  const username = localStorage.getItem(userKey);
  return token && username ? { token, username } : null;
}

/** Remembers (or with null forgets) the visitor's token and rebuilds the clients. */
export function setSession(s: { token: string; username: string } | null): void {
  if (s) {
    localStorage.setItem(tokenKey, s.token);
    localStorage.setItem(userKey, s.username);
  } else {
    localStorage.removeItem(tokenKey);
    localStorage.removeItem(userKey);
  }
  current?.ws.dispose();
  current = null;
}

let current: { urql: Client; ws: WSClient } | null = null;

/** The urql client for the current session (a new one after setSession). */
export function client(): Client {
  if (current) return current.urql;
  const http = new URL('/graphql', window.location.href).href;
  const ws = createWSClient({
    url: http.replace(/^http/, 'ws'),
    lazy: true,
    connectionParams: () => {
      const s = session();
      return s ? { Authorization: `Bearer ${s.token}` } : {};
    },
  });
  const urql = new Client({
    url: http,
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
    fetchOptions: () => {
      const s = session();
      return s ? { headers: { Authorization: `Bearer ${s.token}` } } : {};
    },
  });
  current = { urql, ws };
  return urql;
}

/**
 * Turns a route id into a global id: a MovieLens number n becomes "Movie:n" in the API's own
 * form, unpadded URL-safe base64 (the API also accepts btoa's padded standard form).
 */
export function movieId(raw: string): string {
  if (!/^\d+$/.test(raw)) return raw;
  return btoa(`Movie:${raw}`).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

type Child = Node | string | null | undefined | false;

/** Builds an element; text children are set as text, never parsed as HTML. */
export function h(tag: string, attrs: Record<string, string | ((e: Event) => void)> = {}, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** The message of a urql error, with its extensions.code when the server gave one. */
export function errorText(err: { graphQLErrors?: { message: string; extensions?: Record<string, unknown> }[]; message: string }): string {
  const g = err.graphQLErrors?.[0];
  if (g) return g.extensions?.code ? `${g.message} (${g.extensions.code})` : g.message;
  return err.message;
}
