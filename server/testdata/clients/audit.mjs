// Runs graphql-http's auditServer, the reference audit of the GraphQL-over-HTTP spec,
// against FILMGRAPH_URL and prints one JSON line: the score per level and every result
// that did not pass. clients_test.go checks it.
import { auditServer } from 'graphql-http';

const results = await auditServer({ url: `${process.env.FILMGRAPH_URL}/graphql` });
const score = {};
const failures = [];
for (const r of results) {
  const level = r.name.split(' ')[0]; // "MUST", "SHOULD" or "MAY"
  score[level] ??= { ok: 0, total: 0 };
  score[level].total++;
  if (r.status === 'ok') score[level].ok++;
  else failures.push({ id: r.id, name: r.name, status: r.status, reason: r.reason });
}
console.log(JSON.stringify({ score, failures }));
