// Worker-thread entry for the email parser pool. Workers do not inherit the TypeScript loader of
// the thread that starts them, so this plain-JS file registers it before loading the parser.
import { register } from 'tsx/esm/api';

register();
await import('./parse.worker.ts');
