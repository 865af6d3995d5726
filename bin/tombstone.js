#!/usr/bin/env node
// `tombstone` in this repository: src/cli/index.ts through tsx's loader (Node 20 cannot strip TypeScript types
// itself), so the tests run the sources. Not in the package: its bin is the build's dist/tombstone.js.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
