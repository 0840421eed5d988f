"""JSON Schemas of accord's result objects, derived from the dataclasses themselves.

In: a result dataclass (`QueryResult`, `Explanation`, `DiffResult`, …). Out: a JSON Schema
(OpenAPI 3.1 dialect) of exactly what `accord.results.query.to_json` makes of it: an object with every
field, required and nothing else; enums as their values; tuples and lists as arrays; `X | None` as
X or null. Nested dataclasses become `#/components/schemas/NAME` references, collected in a
`Components` so the OpenAPI document (`accord.server.openapi`) lists each once. Deriving the
schema from the types keeps it in step with the JSON: a field added to a result is in the
document at once, and the API tests check every response against it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from typing import Any

JsonSchema = dict[str, Any]
_PRIMITIVES: dict[Any, JsonSchema] = {
    str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"}, bool: {"type": "boolean"},
    type(None): {"type": "null"},
}


class Components:
    """The named schemas referenced so far, by component name."""

    def __init__(self) -> None:
        self.schemas: dict[str, JsonSchema] = {}
        self._names: dict[type, str] = {}

    def ref(self, cls: type) -> JsonSchema:
        """A reference to the schema of a dataclass, adding it (and what it uses) when new."""
        name = self._names.get(cls)
        if name is None:
            name = cls.__name__
            if name in self.schemas:  # two result modules use the same class name
                name = f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}"
            self._names[cls] = name
            self.schemas[name] = {}  # reserved first: a class may refer to itself
            self.schemas[name] = self._object(cls)
        return {"$ref": f"#/components/schemas/{name}"}

    def _object(self, cls: type) -> JsonSchema:
        hints = typing.get_type_hints(cls)
        fields = [f.name for f in dataclasses.fields(cls)]
        out: JsonSchema = {
            "type": "object",
            "properties": {name: self.schema(hints[name]) for name in fields},
            "required": fields,
            "additionalProperties": False,
        }
        doc = (cls.__doc__ or "").strip()
        if doc and not doc.startswith(f"{cls.__name__}("):  # not the signature dataclasses make up
            out["description"] = " ".join(doc.split())
        return out

    def schema(self, hint: Any) -> JsonSchema:
        """The schema of any annotation a result object uses."""
        if hint in _PRIMITIVES:
            return dict(_PRIMITIVES[hint])
        if hint is Any:
            return {}
        if isinstance(hint, type) and issubclass(hint, Enum):
            return {"type": "string", "enum": [member.value for member in hint]}
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self.ref(hint)
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin in (types.UnionType, typing.Union):
            options = [self.schema(a) for a in args]
            return options[0] if len(options) == 1 else {"anyOf": options}
        if origin in (tuple, list):
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                return {"type": "array", "prefixItems": [self.schema(a) for a in args],
                        "minItems": len(args), "maxItems": len(args)}
            return {"type": "array", "items": self.schema(args[0]) if args else {}}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.schema(args[1]) if len(args) == 2 else {}}
        raise TypeError(f"no JSON Schema for {hint!r}")
