"""A saas_config YAML (Fides' format plus a few keys of ours), loaded with safe_load and validated.

Every validation error names the bad key, e.g.
`endpoints[2].requests.read.pagination.strategy: must be 'link'`.
Our additions to the format: `read` may be a list of requests (one per entry point), `subject_match`
(which records are the subject's own), `key`, `label`, `masking` (masked values per field), and `maximum` on a
query parameter (the vendor's documented cap, e.g. Twilio's PageSize).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
PLACEHOLDER = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


class ConfigError(ValueError):
    """The saas_config is invalid; the message names the key."""


@dataclass(frozen=True)
class Reference:
    collection: str
    field: str


@dataclass(frozen=True)
class ParamValue:
    name: str
    identities: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    connector_param: str = ""
    external: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryParam:
    name: str
    value: str
    maximum: int | None = None


@dataclass(frozen=True)
class Request:
    method: str = "GET"
    path: str = ""
    query_params: tuple[QueryParam, ...] = ()
    param_values: tuple[ParamValue, ...] = ()
    data_path: str = ""
    pagination_path: str = ""
    ignore_errors: frozenset[int] = frozenset()
    request_override: str = ""
    # Placeholders not bound by param_values: connector params, filled at run time.
    unbound: frozenset[str] = frozenset()

    def references(self) -> list[Reference]:
        return [ref for pv in self.param_values for ref in pv.references]


@dataclass(frozen=True)
class MatchRule:
    field: str
    identities: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Endpoint:
    name: str
    reads: tuple[Request, ...]
    update: Request | None = None
    delete: Request | None = None
    key: tuple[str, ...] = ("sid",)
    subject_match: tuple[MatchRule, ...] = ()
    masking: dict = field(default_factory=dict)
    label: str = ""

    def dependencies(self) -> set[str]:
        refs = [ref for r in self.reads for ref in r.references()]
        refs += [ref for rule in self.subject_match for ref in rule.references]
        return {ref.collection for ref in refs if ref.collection != self.name}


@dataclass(frozen=True)
class SaasConfig:
    type: str
    name: str
    version: str
    connector_params: dict[str, str | None]
    external_references: tuple[str, ...]
    base_url: str
    auth_strategy: str
    auth_configuration: dict[str, str]
    test_request: Request
    endpoints: tuple[Endpoint, ...]
    delete_sla_days: int | None = None

    def endpoint(self, name: str) -> Endpoint:
        return next(e for e in self.endpoints if e.name == name)

    def levels(self) -> list[list[Endpoint]]:
        """Endpoints grouped so each group depends only on earlier groups (reads run group by group)."""
        done: set[str] = set()
        remaining = list(self.endpoints)
        levels = []
        while remaining:
            ready = [e for e in remaining if e.dependencies() <= done]
            if not ready:
                names = ", ".join(e.name for e in remaining)
                raise ConfigError(f"endpoints: circular references between {names}")
            levels.append(ready)
            done |= {e.name for e in ready}
            remaining = [e for e in remaining if e.name not in done]
        return levels

    def link_fields(self, collection: str) -> tuple[str, ...]:
        """Fields of a collection other requests read from its records: kept in checkpoints."""
        # Asked once per record found; the config is immutable, so remember the answer per collection.
        cache = self.__dict__.setdefault("_link_fields_cache", {})
        if collection not in cache:
            cache[collection] = self._link_fields(collection)
        return cache[collection]

    def _link_fields(self, collection: str) -> tuple[str, ...]:
        fields = set(self.endpoint(collection).key)
        for endpoint in self.endpoints:
            requests = [*endpoint.reads, endpoint.update, endpoint.delete]
            refs = [ref for r in requests if r for ref in r.references()]
            refs += [ref for rule in endpoint.subject_match for ref in rule.references]
            fields |= {ref.field for ref in refs if ref.collection == collection}
        return tuple(sorted(fields))


def load(name_or_path: str | Path) -> SaasConfig:
    path = Path(name_or_path)
    if not path.suffix:
        path = CONFIG_DIR / f"{name_or_path}.yaml"
    with open(path, encoding="utf-8") as fh:
        return parse(yaml.safe_load(fh))


def parse(document) -> SaasConfig:
    doc = _mapping(document, "")
    doc = _mapping(doc.get("saas_config", doc), "saas_config")
    params = {}
    for i, p in enumerate(_list(doc.get("connector_params", []), "connector_params")):
        p = _mapping(p, f"connector_params[{i}]")
        params[_str(p, "name", f"connector_params[{i}]")] = p.get("default_value")
    externals = tuple(
        _str(_mapping(e, f"external_references[{i}]"), "name", f"external_references[{i}]")
        for i, e in enumerate(_list(doc.get("external_references", []), "external_references"))
    )
    client = _mapping(doc.get("client_config"), "client_config")
    if "base_url" in client:
        base_url = _str(client, "base_url", "client_config")
    else:
        protocol = client.get("protocol", "https")
        if protocol not in ("http", "https"):
            raise ConfigError("client_config.protocol: must be 'http' or 'https'")
        base_url = f"{protocol}://{_str(client, 'host', 'client_config')}"
    auth = _mapping(client.get("authentication"), "client_config.authentication")
    strategy = _str(auth, "strategy", "client_config.authentication")
    if strategy not in ("basic", "bearer"):
        raise ConfigError("client_config.authentication.strategy: must be 'basic' or 'bearer'")
    auth_conf = _mapping(auth.get("configuration"), "client_config.authentication.configuration")
    endpoints = tuple(_endpoint(e, f"endpoints[{i}]") for i, e in enumerate(_list(doc.get("endpoints"), "endpoints")))
    names = [e.name for e in endpoints]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise ConfigError(f"endpoints[{i}].name: {name!r} is used twice")
    config = SaasConfig(
        type=_str(doc, "type", "saas_config"),
        name=str(doc.get("name", "")),
        version=str(doc.get("version", "")),
        connector_params=params,
        external_references=externals,
        base_url=base_url,
        auth_strategy=strategy,
        auth_configuration={k: str(v) for k, v in auth_conf.items()},
        test_request=_request(doc.get("test_request"), "test_request"),
        endpoints=endpoints,
        delete_sla_days=doc.get("delete_sla_days"),
    )
    _check_references(config)
    config.levels()
    return config


def _endpoint(raw, where: str) -> Endpoint:
    e = _mapping(raw, where)
    name = _str(e, "name", where)
    requests = _mapping(e.get("requests"), f"{where}.requests")
    unknown = set(requests) - {"read", "update", "delete"}
    if unknown:
        raise ConfigError(f"{where}.requests.{sorted(unknown)[0]}: unknown request (read, update or delete)")
    read = requests.get("read")
    if read is None:
        raise ConfigError(f"{where}.requests.read: is required")
    reads = read if isinstance(read, list) else [read]
    key = e.get("key", "sid")
    return Endpoint(
        name=name,
        reads=tuple(
            _request(r, f"{where}.requests.read" + (f"[{i}]" if isinstance(read, list) else ""))
            for i, r in enumerate(reads)
        ),
        update=_request(requests["update"], f"{where}.requests.update") if "update" in requests else None,
        delete=_request(requests["delete"], f"{where}.requests.delete") if "delete" in requests else None,
        key=tuple(key) if isinstance(key, list) else (str(key),),
        subject_match=tuple(
            _match_rule(r, f"{where}.subject_match[{i}]")
            for i, r in enumerate(_list(e.get("subject_match", []), f"{where}.subject_match"))
        ),
        masking={str(k): str(v) for k, v in _mapping(e.get("masking", {}), f"{where}.masking").items()},
        label=str(e.get("label") or name.replace("_", " ").capitalize()),
    )


def _request(raw, where: str) -> Request:
    r = _mapping(raw, where)
    override = str(r.get("request_override", ""))
    method = str(r.get("method", "GET" if not override else "")).upper()
    if not override and method not in METHODS:
        raise ConfigError(f"{where}.method: must be one of {', '.join(sorted(METHODS))}")
    if not override and not str(r.get("path", "")).startswith("/"):
        raise ConfigError(f"{where}.path: must start with '/'")
    pagination_path = ""
    if "pagination" in r:
        pag = _mapping(r["pagination"], f"{where}.pagination")
        if pag.get("strategy") != "link":
            raise ConfigError(f"{where}.pagination.strategy: must be 'link'")
        conf = _mapping(pag.get("configuration"), f"{where}.pagination.configuration")
        if conf.get("source", "body") != "body":
            raise ConfigError(f"{where}.pagination.configuration.source: must be 'body'")
        pagination_path = _str(conf, "path", f"{where}.pagination.configuration")
    query = []
    for i, q in enumerate(_list(r.get("query_params", []), f"{where}.query_params")):
        q = _mapping(q, f"{where}.query_params[{i}]")
        maximum = q.get("maximum")
        if maximum is not None and (not isinstance(maximum, int) or maximum < 1):
            raise ConfigError(f"{where}.query_params[{i}].maximum: must be a positive whole number")
        query.append(QueryParam(_str(q, "name", f"{where}.query_params[{i}]"), str(q.get("value", "")), maximum))
    params = tuple(
        _param_value(p, f"{where}.param_values[{i}]")
        for i, p in enumerate(_list(r.get("param_values", []), f"{where}.param_values"))
    )
    ignore = r.get("ignore_errors", [])
    if not isinstance(ignore, list) or not all(isinstance(s, int) for s in ignore):
        raise ConfigError(f"{where}.ignore_errors: must be a list of HTTP status codes")
    declared = {p.name for p in params}
    used = set(PLACEHOLDER.findall(str(r.get("path", "")))) | {n for q in query for n in PLACEHOLDER.findall(q.value)}
    return Request(
        method=method,
        path=str(r.get("path", "")),
        query_params=tuple(query),
        param_values=params,
        data_path=str(r.get("data_path", "")),
        pagination_path=pagination_path,
        ignore_errors=frozenset(ignore),
        request_override=override,
        unbound=frozenset(used - declared),
    )


def _param_value(raw, where: str) -> ParamValue:
    p = _mapping(raw, where)
    identities = p.get("identity", [])
    identities = [identities] if isinstance(identities, str) else identities
    if not isinstance(identities, list):
        raise ConfigError(f"{where}.identity: must be a name or a list of names")
    refs = tuple(
        _reference(ref, f"{where}.references[{i}]")
        for i, ref in enumerate(_list(p.get("references", []), f"{where}.references"))
    )
    externals = tuple(ref.collection for ref in refs if ref.field == "")
    refs = tuple(ref for ref in refs if ref.field)
    pv = ParamValue(
        name=_str(p, "name", where),
        identities=tuple(identities),
        references=refs,
        connector_param=str(p.get("connector_param", "")),
        external=externals,
    )
    if not (pv.identities or pv.references or pv.connector_param or pv.external):
        raise ConfigError(f"{where}: needs identity, references or connector_param")
    return pv


def _reference(raw, where: str) -> Reference:
    if isinstance(raw, str):
        return Reference(raw, "")  # an external reference, by name
    ref = _mapping(raw, where)
    direction = ref.get("direction", "from")
    if direction != "from":
        raise ConfigError(f"{where}.direction: must be 'from'")
    dotted = _str(ref, "field", where)
    if "." not in dotted:
        raise ConfigError(f"{where}.field: must be <collection>.<field>, not {dotted!r}")
    collection, field_name = dotted.split(".", 1)
    return Reference(collection, field_name)


def _match_rule(raw, where: str) -> MatchRule:
    r = _mapping(raw, where)
    identities = r.get("identity", [])
    identities = [identities] if isinstance(identities, str) else list(identities)
    refs = tuple(
        _reference(ref, f"{where}.references[{i}]")
        for i, ref in enumerate(_list(r.get("references", []), f"{where}.references"))
    )
    if not identities and not refs:
        raise ConfigError(f"{where}: needs identity or references")
    return MatchRule(field=_str(r, "field", where), identities=tuple(identities), references=refs)


def _check_references(config: SaasConfig) -> None:
    names = {e.name for e in config.endpoints}
    for i, endpoint in enumerate(config.endpoints):
        requests = [("read", r) for r in endpoint.reads] + [
            (kind, r) for kind, r in (("update", endpoint.update), ("delete", endpoint.delete)) if r
        ]
        for kind, request in requests:
            for pv in request.param_values:
                for ref in pv.references:
                    if ref.collection not in names:
                        raise ConfigError(
                            f"endpoints[{i}].requests.{kind}.param_values.{pv.name}: "
                            f"references unknown collection {ref.collection!r}"
                        )
                for ext in pv.external:
                    if ext not in config.external_references:
                        raise ConfigError(
                            f"endpoints[{i}].requests.{kind}.param_values.{pv.name}: unknown external reference {ext!r}"
                        )
            unbound = request.unbound - set(config.connector_params)
            if unbound:
                raise ConfigError(
                    f"endpoints[{i}].requests.{kind}.path: <{sorted(unbound)[0]}> is neither a param_value "
                    "nor a connector_param"
                )


def _mapping(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{where or 'document'}: must be a mapping")
    return value


def _list(value, where: str) -> list:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: must be a list")
    return value


def _str(mapping: dict, key: str, where: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str | int) or value == "":
        raise ConfigError(f"{where}.{key}: is required" if value is None else f"{where}.{key}: must be text")
    return str(value)
