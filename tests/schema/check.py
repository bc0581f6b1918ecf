#!/usr/bin/env python3
"""Checks a JSON document against a JSON Schema (the subset tests/schema uses:
type, enum, required, properties, additionalProperties, propertyNames, items,
minItems/maxItems, minimum/maximum, minLength, pattern, local $ref). Standard
library only. Usage: check.py SCHEMA.json DOC.json; prints each violation with
its JSON path; exit 1 when there is any."""
import json
import re
import sys

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def is_type(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])


def check(v, s, root, path, errs):
    if "$ref" in s:
        node = root
        for part in s["$ref"].lstrip("#/").split("/"):
            node = node[part]
        return check(v, node, root, path, errs)
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(is_type(v, t) for t in ts):
            errs.append(f"{path}: {json.dumps(v, ensure_ascii=False)[:60]} is not {'/'.join(ts)}")
            return
    if "enum" in s and v not in s["enum"]:
        errs.append(f"{path}: {v!r} not one of {s['enum']}")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if "minimum" in s and v < s["minimum"]:
            errs.append(f"{path}: {v} below {s['minimum']}")
        if "maximum" in s and v > s["maximum"]:
            errs.append(f"{path}: {v} above {s['maximum']}")
    if isinstance(v, str):
        if len(v) < s.get("minLength", 0):
            errs.append(f"{path}: shorter than {s['minLength']}")
        if "pattern" in s and not re.search(s["pattern"], v):
            errs.append(f"{path}: {v!r} does not match {s['pattern']}")
    if isinstance(v, list):
        if len(v) < s.get("minItems", 0) or len(v) > s.get("maxItems", len(v)):
            errs.append(f"{path}: {len(v)} items")
        if "items" in s:
            for i, x in enumerate(v):
                check(x, s["items"], root, f"{path}[{i}]", errs)
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append(f"{path}: key '{k}' missing")
        props = s.get("properties", {})
        for k, x in v.items():
            if "propertyNames" in s:
                check(k, s["propertyNames"], root, f"{path}.{k} (name)", errs)
            if k in props:
                check(x, props[k], root, f"{path}.{k}", errs)
            elif s.get("additionalProperties") is False:
                errs.append(f"{path}: key '{k}' not in the schema")
            elif isinstance(s.get("additionalProperties"), dict):
                check(x, s["additionalProperties"], root, f"{path}.{k}", errs)


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    doc = json.load(open(sys.argv[2], encoding="utf-8"))
    errs = []
    check(doc, schema, schema, "$", errs)
    for e in errs[:50]:
        print(e)
    print(f"schema: {len(errs)} violations")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
