#!/usr/bin/env python3
"""Validates YAML files against crmcase's JSON Schema with a validator crmcase did not write.

    check_schema.py SCHEMA FILE...

For each file prints one line: `valid FILE`, or `invalid FILE: MESSAGE at PATH; …` (every
error, jsonschema's best match first). The schema itself is first checked against the draft-07
meta-schema. Exits 2 when the schema or a file cannot be read; 0 otherwise, so that the
caller (Tests/CRMCaseTests/SchemaTests.swift) decides what each file should give.
"""
import json
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1, where `yes`, `on` and `No` are booleans; editors' YAML language
    servers read YAML 1.2, where only true and false are. Read as the editor does."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)  # raises on a malformed schema
    validator = jsonschema.Draft7Validator(schema)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8-sig") as f:
            document = yaml.load(f, Loader=Yaml12Loader)
        errors = list(validator.iter_errors(document))
        if not errors:
            print(f"valid {path}")
            continue
        best = jsonschema.exceptions.best_match(errors)
        ordered = [best] + [e for e in errors if e is not best]

        def words(error):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            return f"{error.message} at {where}".replace("\n", " ")

        print(f"invalid {path}: " + "; ".join(words(e) for e in ordered))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ValueError, yaml.YAMLError, jsonschema.exceptions.SchemaError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        sys.exit(2)
