#!/usr/bin/env bash
# Compiles apps, libs and tools to dist/ with swc (type-checking is `npm run typecheck`). The swc
# config is .swcrc plus the path aliases of tsconfig.base.json, so both stay in one place.
set -euo pipefail
cd "$(dirname "$0")/.."
# one build at a time per checkout: concurrent test runs share dist/
exec 9>"${TMPDIR:-/tmp}/repovault-build-$(pwd | sha1sum | cut -c1-12).lock"
flock 9
mkdir -p dist
node -e '
  const fs = require("node:fs");
  const swc = JSON.parse(fs.readFileSync(".swcrc", "utf8"));
  const ts = JSON.parse(fs.readFileSync("tsconfig.base.json", "utf8"));
  swc.jsc.baseUrl = process.cwd();
  swc.jsc.paths = ts.compilerOptions.paths;
  fs.writeFileSync("dist/.swcrc.build", JSON.stringify(swc));
'
node_modules/.bin/swc apps libs tools -d dist --config-file dist/.swcrc.build --ignore '**/*.spec.ts,**/test/**' --quiet
