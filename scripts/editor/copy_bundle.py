"""Copy the web editor's browser code from node_modules into the package, where builds and wheels find it.

    (cd scripts/editor && npm ci) && python scripts/editor/copy_bundle.py

Decap CMS's prebuilt bundle (dist/decap-cms.js, with its licence file) and the ES modules of the `yaml` parser
(browser/dist/) go to src/fichegen/editor/static/vendor/, which git ignores: they come from npm at the versions
of package-lock.json. Decap's lazily loaded chunks (CodeMirror language modes of its code widget, which the
editor does not use) and source maps are left out. Running it again replaces the copy.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
TARGET = HERE.parents[1] / "src" / "fichegen" / "editor" / "static" / "vendor"


def main() -> int:
    decap = MODULES / "decap-cms" / "dist"
    yaml = MODULES / "yaml" / "browser" / "dist"
    if not (decap / "decap-cms.js").is_file() or not (yaml / "index.js").is_file():
        print(f"{MODULES} lacks decap-cms or yaml: run `npm ci` in {HERE} first", file=sys.stderr)
        return 1
    staging = TARGET.with_name("vendor.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in ("decap-cms.js", "decap-cms.js.LICENSE.txt"):
        shutil.copyfile(decap / name, staging / name)
    shutil.copytree(yaml, staging / "yaml", ignore=shutil.ignore_patterns("*.map", "*.d.ts"))
    shutil.copyfile(MODULES / "yaml" / "LICENSE", staging / "yaml" / "LICENSE")
    versions = {name: json.loads((MODULES / name / "package.json").read_text())["version"] for name in ("decap-cms", "yaml")}
    (staging / "VERSIONS.json").write_text(json.dumps(versions, indent=1) + "\n")
    shutil.rmtree(TARGET, ignore_errors=True)
    staging.rename(TARGET)
    print(f"copied decap-cms {versions['decap-cms']} and yaml {versions['yaml']} into {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
