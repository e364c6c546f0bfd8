#!/usr/bin/env bash
# Scaffolds an Nx project by hand (no generators): project.json, tsconfig.json, jest.config.cjs.
# usage: tools/new-project.sh <root> <name> <tags comma-separated> [app]
set -euo pipefail
root=$1; name=$2; tags=$3; kind=${4:-lib}
depth=$(echo "$root" | awk -F/ '{print NF}')
up=$(printf '../%.0s' $(seq 1 "$depth"))
mkdir -p "$root/src"
tagjson=$(echo "$tags" | awk -F, '{for(i=1;i<=NF;i++){printf "%s\"%s\"", (i>1?", ":""), $i}}')
ptype=library; [ "$kind" = app ] && ptype=application
cat > "$root/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "${up}node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$root/src",
  "projectType": "$ptype",
  "tags": [$tagjson],
  "targets": {
    "typecheck": { "executor": "nx:run-commands", "options": { "command": "tsc -p $root/tsconfig.json --noEmit" } }
  }
}
JSON
cat > "$root/tsconfig.json" <<JSON
{
  "extends": "${up}tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"] },
  "include": ["src/**/*.ts", "test/**/*.ts"]
}
JSON
cat > "$root/jest.config.cjs" <<JS
const { createJestConfig } = require('${up}jest.preset.cjs');

module.exports = createJestConfig(__dirname, '$name');
JS
[ -f "$root/src/index.ts" ] || echo "export {};" > "$root/src/index.ts"
