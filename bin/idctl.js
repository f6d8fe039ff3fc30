#!/usr/bin/env node
'use strict';
// idctl: the security team's CLI. The code is TypeScript in tools/idctl/src, compiled into dist/.
const fs = require('node:fs');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'dist', 'tools', 'idctl', 'src', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('idctl: not built yet; run "npm run build" first\n');
  process.exit(2);
}
require(entry).main();
