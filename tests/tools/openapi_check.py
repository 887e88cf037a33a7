#!/usr/bin/env python3
"""Checks an OpenAPI document (JSON on stdin) with openapi-spec-validator, the semantic validator a
client generator trusts: beyond the JSON Schema it resolves every path parameter against its path
template, every $ref, and the rules of each object. Prints each problem on a line and exits 1 when
there is any. scripts/test installs the validator in target/py-tools (PyPI, pinned)."""

import json
import sys

from openapi_spec_validator import OpenAPIV31SpecValidator

document = json.load(sys.stdin)
problems = [
    f"{'/'.join(str(p) for p in getattr(e, 'path', []))}: {getattr(e, 'message', e)}"
    for e in OpenAPIV31SpecValidator(document).iter_errors()
]
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
