#!/usr/bin/env python3
"""Checks HSDS JSON against the HSDS 3.0 JSON Schemas with needsmap's profile merged in, with
python3-jsonschema: an independent validator for what needsmap writes.

  validate_hsds.py SCHEMA_DIR document FILE      a document: {"services": [...], ...}
  validate_hsds.py SCHEMA_DIR record TABLE FILE  one record of TABLE (e.g. an API answer)

SCHEMA_DIR holds schema/ and profile/ (data/hsds-3.0). Prints one line per problem; exits 1 when
there is any.
"""
import json
import pathlib
import sys

import jsonschema

BASE = "https://needsmap.invalid/hsds/"


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def load_schemas(directory):
    schemas = {}
    for f in sorted((directory / "schema").glob("*.json")):
        schemas[f.name] = json.loads(f.read_text())
    for f in sorted((directory / "profile").glob("*.json")):
        schemas[f.name] = merge_patch(schemas.get(f.name, {}), json.loads(f.read_text()))
    for name, schema in schemas.items():
        schema["$id"] = BASE + name
    return schemas


def validator_for(schemas, name):
    cls = jsonschema.Draft202012Validator
    try:  # jsonschema 4.18 and later
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
        registry = Registry().with_resources(
            (BASE + n, Resource.from_contents(s, default_specification=DRAFT202012))
            for n, s in schemas.items())
        return cls(schemas[name], registry=registry, format_checker=cls.FORMAT_CHECKER)
    except ImportError:  # Debian 12's jsonschema 4.10
        store = {BASE + n: s for n, s in schemas.items()}
        resolver = jsonschema.RefResolver(BASE + name, schemas[name], store=store)
        return cls(schemas[name], resolver=resolver, format_checker=cls.FORMAT_CHECKER)


def table_of(schemas, collection):
    for name, schema in schemas.items():
        path = schema.get("path", "")
        if collection in (path, path.removesuffix(".csv")):
            return name
    return None


def main():
    directory = pathlib.Path(sys.argv[1])
    schemas = load_schemas(directory)
    problems = []
    checked = 0
    if sys.argv[2] == "document":
        document = json.loads(pathlib.Path(sys.argv[3]).read_text())
        for key, records in document.items():
            if key in ("version", "profile", "openapi_url"):
                continue
            name = table_of(schemas, key)
            if name is None:
                problems.append(f"{key}: not an HSDS collection")
                continue
            validator = validator_for(schemas, name)
            for record in records:
                checked += 1
                for e in validator.iter_errors(record):
                    problems.append(f"{key} {record.get('id')}: {e.json_path}: {e.message}")
    else:
        name = sys.argv[3] + ".json"
        record = json.loads(pathlib.Path(sys.argv[4]).read_text())
        checked = 1
        for e in validator_for(schemas, name).iter_errors(record):
            problems.append(f"{sys.argv[3]} {record.get('id')}: {e.json_path}: {e.message}")
    for p in problems:
        print(p)
    print(f"checked {checked} record(s), {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
