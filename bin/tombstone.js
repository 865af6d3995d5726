#!/usr/bin/env node
// The `tombstone` command: runs src/cli/index.ts through tsx's loader (Node 20 cannot strip TypeScript types itself).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
