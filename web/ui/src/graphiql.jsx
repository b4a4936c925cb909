// GraphiQL served at / from the embedded bundle (no CDN). Queries and mutations go over HTTP
// POST, subscriptions over graphql-transport-ws; the headers editor's headers are sent with
// both (as HTTP headers, and as the connection_init payload of the WebSocket).
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import 'graphiql/graphiql.css';

const httpUrl = new URL('/graphql', window.location.href).href;
const wsUrl = httpUrl.replace(/^http/, 'ws');

// One WebSocket client per distinct set of headers: the token is part of connection_init.
const wsClients = new Map();
function wsClientFor(headers) {
  const key = JSON.stringify(headers || {});
  if (!wsClients.has(key)) {
    wsClients.set(key, createClient({ url: wsUrl, connectionParams: headers || {}, lazy: true }));
  }
  return wsClients.get(key);
}

function isSubscription(params) {
  const name = params.operationName;
  const ops = [...params.query.matchAll(/(^|\}|\s)(query|mutation|subscription)\s*([A-Za-z_][A-Za-z0-9_]*)?/g)];
  const op = name ? ops.find((m) => m[3] === name) : ops[0];
  return op ? op[2] === 'subscription' : false;
}

const httpFetcher = createGraphiQLFetcher({ url: httpUrl });

function fetcher(params, opts) {
  if (!isSubscription(params)) return httpFetcher(params, opts);
  const client = wsClientFor(opts && opts.headers);
  // An async iterable of results, which GraphiQL renders as they arrive.
  return client.iterate({
    query: params.query,
    variables: params.variables,
    operationName: params.operationName,
  });
}

async function start() {
  let tabs = [];
  try {
    const res = await fetch('/graphiql/examples.json');
    if (res.ok) tabs = (await res.json()).map((e) => ({ query: e.query, variables: e.variables }));
  } catch {
    // no examples: GraphiQL opens with its default tab
  }
  createRoot(document.getElementById('graphiql')).render(
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={tabs.length ? tabs : undefined}
      shouldPersistHeaders={true}
      defaultEditorToolsVisibility={false}
    />,
  );
}

start();
