// Generates the trusted documents' manifest of the example operations (docs/queries and
// docs/subscriptions) with Apollo's own generator, as a client project would, and prints
// it as one JSON line; clients_test.go compares it with docs/queries/manifest.json (and
// writes that file with -update-manifest).
import { generatePersistedQueryManifest } from '@apollo/generate-persisted-query-manifest';

const manifest = await generatePersistedQueryManifest({
  documents: ['../../../docs/queries/*.graphql', '../../../docs/subscriptions/*.graphql'],
}, undefined);
console.log(JSON.stringify(manifest));
