// Makes `npx runts` work inside this checkout: npm links the bins of dependencies into
// node_modules/.bin, but not the bins of the project itself.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';

const target = '../../dist/container-runtime/main.js';
mkdirSync('node_modules/.bin', { recursive: true });
rmSync('node_modules/.bin/runts', { force: true });
symlinkSync(target, 'node_modules/.bin/runts');
chmodSync('dist/container-runtime/main.js', 0o755);
