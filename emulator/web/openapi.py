"""The OpenAPI 3.1 document of every route the emulator serves, at ``/openapi.json``.

It describes the Pantheon secrets API under ``/customer-secrets/v1`` (SPEC §4-§6) and
the emulator's own ``/_emulator`` control plane: parameters, request bodies, every
status a route answers, and the JSON schema of each body. Error bodies are plain text.
The reliability tests validate real responses against it and fuzz the server through
it, so a route added without a description here fails the test suite.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from emulator.core import policy
from emulator.core.journal import FILTERABLE
from emulator.core.model import MAX_VALUE_BYTES
from emulator.core.resolve import LAYERS
from emulator.core.version import __version__
from emulator.web.http import json_response

bp = Blueprint("openapi", __name__)
API = policy.API_PREFIX
CONTROL = policy.CONTROL_PREFIX
JSON = "application/json"
TEXT = "text/plain"

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Schema], required: tuple[str, ...] | None = None, closed: bool = True) -> Schema:
    """An object schema; every property is required unless ``required`` says otherwise."""
    schema: Schema = {"type": "object", "properties": properties, "required": list(properties if required is None else required)}
    if closed:
        schema["additionalProperties"] = False
    return schema


def map_of(values: Schema) -> Schema:
    return {"type": "object", "additionalProperties": values}


STRING: Schema = {"type": "string"}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}

SCHEMAS: dict[str, Schema] = {
    # -- shared pieces ----------------------------------------------------------------
    "SecretType": {"type": "string", "enum": list(policy.SECRET_TYPES)},
    "Scope": {"type": "string", "enum": list(policy.SECRET_SCOPES)},
    "Scopes": {"type": "array", "items": ref("Scope"), "minItems": 1},
    "SecretName": {
        "type": "string",
        "minLength": 1,
        "maxLength": policy.SECRET_NAME_MAX_LENGTH,
        "pattern": policy.SECRET_NAME_PATTERN,
        "description": "Letters, numbers, '.', '_', '-', ':' and '@', not only dots; "
        "an `env` secret's name must also be an environment variable name.",
    },
    "EnvironmentName": {
        "type": "string",
        "pattern": policy.ENVIRONMENT_NAME_PATTERN,
        "description": "dev, test, live or a multidev.",
    },
    "SecretValue": {
        "type": "string",
        "maxLength": MAX_VALUE_BYTES,
        "description": f"At most {MAX_VALUE_BYTES} bytes once encoded as UTF-8.",
    },
    # -- management API -----------------------------------------------------------------
    "CreateSecret": obj(
        {
            "name": ref("SecretName"),
            "value": ref("SecretValue"),
            "type": {"anyOf": [ref("SecretType"), {"type": "null"}], "description": "null or absent: runtime."},
            "scopes": {
                "anyOf": [ref("Scopes"), {"type": "string", "description": "Comma-separated scopes."}, {"type": "null"}],
                "description": 'null or absent: ["user"].',
            },
        },
        required=("name", "value"),
    ),
    "PatchSecret": obj(
        {
            "value": {
                "anyOf": [ref("SecretValue"), {"type": "null"}],
                "description": "The new value; null together with `env` deletes that override.",
            },
            "env": {"allOf": [ref("EnvironmentName")], "description": "Set (or delete) this environment's override."},
        },
        required=("value",),
    ),
    "ListedSecret": obj(
        {
            "Type": ref("SecretType"),
            "Value": NULLABLE_STRING,
            "Scopes": ref("Scopes"),
            "EnvValues": map_of(NULLABLE_STRING),
            "OrgValues": map_of(NULLABLE_STRING),
        },
        required=("Type", "Value", "Scopes", "EnvValues"),
    ),
    "SiteSecretList": obj(
        {
            "EntityType": {"const": "sites"},
            "EntityId": STRING,
            "Secrets": map_of({"allOf": [ref("ListedSecret"), {"required": ["OrgValues"]}]}),
        }
    ),
    "OrgSecretList": obj(
        {
            "EntityType": {"const": "organizations"},
            "EntityId": STRING,
            "Secrets": map_of({"allOf": [ref("ListedSecret"), {"not": {"required": ["OrgValues"]}}]}),
        }
    ),
    "WriteSummary": obj(
        {
            "Name": STRING,
            "Type": ref("SecretType"),
            "Scopes": ref("Scopes"),
            "Environments": {"type": "array", "items": STRING},
        }
    ),
    "OverrideDeleted": obj({"Name": STRING, "Environment": STRING, "Deleted": {"const": True}}),
    "SecretDeleted": obj({"Name": STRING, "Deleted": {"const": True}}),
    # -- runtime reads ----------------------------------------------------------------------
    "RuntimeSecret": obj({"Type": ref("SecretType"), "Value": STRING, "Scopes": ref("Scopes")}),
    "RuntimePayload": obj(
        {
            "SiteID": STRING,
            "Secrets": map_of(ref("RuntimeSecret")),
            "Count": {"type": "integer", "minimum": 0},
            "Version": {"const": ""},
            "Scopes": {"const": ["web"]},
        }
    ),
    # -- control plane -----------------------------------------------------------------------
    "Health": obj({"status": {"const": "ok"}, "version": STRING, "store": STRING}),
    "ResetDone": obj({"status": {"const": "reset"}}),
    "SeedSecret": obj(
        {
            "name": STRING,
            "value": {"anyOf": [ref("SecretValue"), {"type": "null"}]},
            "type": ref("SecretType"),
            "scopes": {"anyOf": [ref("Scopes"), STRING]},
            "overrides": {"type": ["object", "null"], "additionalProperties": ref("SecretValue")},
        },
        required=("name", "value"),
    ),
    "SeedUser": obj({"email": STRING, "token": NULLABLE_STRING}, required=("email",)),
    "SeedOrganization": obj(
        {
            "name": STRING,
            "id": {"type": ["string", "null"], "format": "uuid"},
            "label": NULLABLE_STRING,
            "members": {"type": ["array", "null"], "items": STRING},
            "secrets": {"type": ["array", "null"], "items": ref("SeedSecret")},
        },
        required=("name",),
    ),
    "SeedSite": obj(
        {
            "name": STRING,
            "id": {"type": ["string", "null"], "format": "uuid"},
            "owner": NULLABLE_STRING,
            "supporting": {"type": ["array", "null"], "items": STRING},
            "framework": STRING,
            "members": {"type": ["array", "null"], "items": STRING},
            "runtime_token": NULLABLE_STRING,
            "environments": {
                "type": ["object", "null"],
                "additionalProperties": {
                    "type": ["object", "null"],
                    "properties": {"php_version": STRING},
                    "additionalProperties": False,
                },
            },
            "secrets": {"type": ["array", "null"], "items": ref("SeedSecret")},
        },
        required=("name",),
    ),
    "SeedDocument": obj(
        {
            "users": {"type": ["array", "null"], "items": ref("SeedUser")},
            "organizations": {"type": ["array", "null"], "items": ref("SeedOrganization")},
            "sites": {"type": ["array", "null"], "items": ref("SeedSite")},
        },
        required=(),
    ),
    "State": obj(
        {
            "users": {"type": "array", "items": obj({"email": STRING, "token": STRING})},
            "organizations": {
                "type": "array",
                "items": obj(
                    {
                        "name": STRING,
                        "id": STRING,
                        "label": STRING,
                        "members": {"type": "array", "items": STRING},
                        "secrets": {"type": "array", "items": ref("StoredSecret")},
                    }
                ),
            },
            "sites": {
                "type": "array",
                "items": obj(
                    {
                        "name": STRING,
                        "id": STRING,
                        "owner": NULLABLE_STRING,
                        "supporting": {"type": "array", "items": STRING},
                        "framework": STRING,
                        "members": {"type": "array", "items": STRING},
                        "runtime_token": STRING,
                        "environments": map_of(obj({"php_version": STRING})),
                        "secrets": {"type": "array", "items": ref("StoredSecret")},
                    }
                ),
            },
        }
    ),
    "StoredSecret": obj(
        {
            "name": STRING,
            "value": NULLABLE_STRING,
            "type": ref("SecretType"),
            "scopes": ref("Scopes"),
            "overrides": map_of(STRING),
        }
    ),
    "LocalSecretsFile": obj({"Secrets": map_of({"type": "object"})}, required=("Secrets",), closed=False),
    "SeedSummary": obj(
        {
            "status": {"const": "seeded"},
            "replaced": obj({"organizations": {"type": "array", "items": STRING}, "sites": {"type": "array", "items": STRING}}),
            "secrets_kept": {"type": "boolean"},
            "users": {"type": "array", "items": obj({"email": STRING, "token": STRING})},
            "organizations": {"type": "array", "items": obj({"name": STRING, "id": STRING})},
            "sites": {
                "type": "array",
                "items": obj(
                    {
                        "name": STRING,
                        "id": STRING,
                        "runtime_token": STRING,
                        "environments": {"type": "array", "items": STRING},
                    }
                ),
            },
        }
    ),
    "Journal": obj(
        {
            "entries": {
                "type": "array",
                "items": obj(
                    {
                        "time": {"type": "string", "format": "date-time"},
                        "kind": {"enum": ["management", "runtime"]},
                        "actor": STRING,
                        "method": STRING,
                        "path": STRING,
                        "status": {"type": "integer"},
                        "site": NULLABLE_STRING,
                        "organization": NULLABLE_STRING,
                        "environment": NULLABLE_STRING,
                        "secret": NULLABLE_STRING,
                    }
                ),
            }
        }
    ),
    "Settings": obj(
        {
            "rate_limit": {"type": "boolean"},
            "rate_limit_requests": {"type": "integer", "minimum": 1},
            "rate_limit_window": {"type": "number", "exclusiveMinimum": 0},
            "cache_ttl": {"type": "number", "minimum": 0},
            "session_ttl": {"type": "number", "exclusiveMinimum": 0},
        }
    ),
    "SettingsChange": obj(
        {
            "rate_limit": {"type": "boolean"},
            "rate_limit_requests": {"type": "integer", "minimum": 1},
            "rate_limit_window": {"type": "number", "exclusiveMinimum": 0},
            "cache_ttl": {"type": "number", "minimum": 0},
            "session_ttl": {"type": "number", "exclusiveMinimum": 0},
        },
        required=(),
    ),
    "Explanation": obj(
        {
            "secret": STRING,
            "environment": STRING,
            "site": STRING,
            "layers": obj(
                {
                    layer: {
                        "anyOf": [
                            obj({"present": {"const": True}, "type": ref("SecretType"), "scopes": ref("Scopes")}),
                            obj({"present": {"const": False}}),
                        ]
                    }
                    for layer in LAYERS
                }
            ),
            "scopes": obj(
                {
                    scope: obj(
                        {
                            "visible": {"type": "boolean"},
                            "layer": {"enum": [*LAYERS, None]},
                            "type": {"anyOf": [ref("SecretType"), {"type": "null"}]},
                            "shadowed": {"type": "array", "items": {"enum": list(LAYERS)}},
                            "reason": STRING,
                        }
                    )
                    for scope in policy.SECRET_SCOPES
                }
            ),
        }
    ),
    "SiteInfo": obj(
        {
            "id": STRING,
            "name": STRING,
            "owner": NULLABLE_STRING,
            "framework": STRING,
            "environments": map_of(obj({"php_version": STRING})),
        }
    ),
    "Resolved": obj(
        {
            "site": STRING,
            "environment": STRING,
            "framework": STRING,
            "php_version": STRING,
            "scope": ref("Scope"),
            "secrets": map_of(
                obj({"type": ref("SecretType"), "value": STRING, "scopes": ref("Scopes"), "layer": {"enum": list(LAYERS)}})
            ),
        }
    ),
    "OrganizationInfo": obj({"id": STRING, "name": STRING, "members": {"type": "array", "items": STRING}}),
    "Variables": obj(
        {
            "site": STRING,
            "environment": STRING,
            "framework": STRING,
            "variables": map_of(STRING),
        }
    ),
    # -- Terminus' core API (/api) ---------------------------------------------------------
    "MachineTokenLogin": obj({"machine_token": STRING, "client": STRING}, required=("machine_token",), closed=False),
    "CoreSession": obj({"session": STRING, "user_id": STRING, "expires_at": {"type": "integer"}}),
    "CoreUser": obj({"id": STRING, "email": STRING, "profile": {"type": "object"}}, closed=False),
    "CoreOrganization": obj({"id": STRING, "profile": obj({"name": STRING, "machine_name": STRING}, closed=False)}, closed=False),
    "OrganizationMemberships": {
        "type": "array",
        "items": obj({"id": STRING, "role": STRING, "organization": ref("CoreOrganization")}, closed=False),
    },
    "CoreSite": obj(
        {"id": STRING, "name": STRING, "framework": STRING, "organization": STRING, "label": STRING},
        closed=False,
    ),
    "SiteMemberships": {
        "type": "array",
        "items": obj({"id": STRING, "role": STRING, "site": ref("CoreSite")}, required=("id", "site"), closed=False),
    },
    "SiteName": obj({"id": STRING, "name": STRING}),
    "CoreEnvironments": map_of(obj({"id": STRING, "php_version": {"type": "string", "pattern": r"^\d+$"}}, closed=False)),
    "EnvironmentSettings": obj({"is_initialized": {"type": "boolean"}}, closed=False),
    "Accepted": obj({}, required=(), closed=False),
    "OpenAPIDocument": {"type": "object", "required": ["openapi", "info", "paths"]},
}

ERROR_MEANINGS = {
    400: "Invalid input; the body names the problem.",
    401: "No token, or a token nobody holds.",
    403: "The caller may not touch this site or organization; or a browser request from another "
    "origin, or with a Host this server does not serve, was refused.",
    404: "Unknown site, organization, environment, secret, or route.",
    405: "The path exists, but not with this method.",
    413: f"The request body is over the limit ({policy.MAX_API_BODY_BYTES} bytes on the API).",
    429: "Rate limited (management API only).",
}


def error(status: int) -> dict:
    """A plain-text error response (SPEC §4: a JSON error object breaks the PHP client)."""
    response: dict = {"description": ERROR_MEANINGS[status], "content": {TEXT: {"schema": STRING}}}
    if status == 429:
        response["headers"] = {
            "Retry-After": {"description": "Whole seconds to wait.", "schema": {"type": "string", "pattern": r"^\d+$"}}
        }
    return response


def ok(schema: str, description: str = "OK") -> dict:
    return {"description": description, "content": {JSON: {"schema": ref(schema)}}}


def param(name: str, where: str, description: str, required: bool = True, schema: Schema | None = None) -> dict:
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema or {"type": "string", "minLength": 1},
    }


SITE = param("site", "path", "Site UUID or name.")
ORG = param("org", "path", "Organization UUID or name.")
NAME = param("name", "path", "Secret name.", schema=ref("SecretName"))
LOOKUP_NAME = param("name", "path", "Secret name (looked up, not checked).")
CONTROL_HEADER = param(
    policy.CONTROL_HEADER,
    "header",
    "Any value: shows the request is not an HTML form (control-plane writes without a JSON body need it).",
    schema={"type": "string"},
)
ENV = param("env", "path", "Environment name: dev, test, live or a multidev.")


def operation(
    op_id: str,
    summary: str,
    responses: dict,
    *,
    tag: str,
    params: tuple = (),
    body: str | None = None,
    security: str | None = None,
    errors: tuple[int, ...] = (),
) -> dict:
    op: dict = {"operationId": op_id, "summary": summary, "tags": [tag]}
    if params:
        op["parameters"] = list(params)
    if body:
        op["requestBody"] = {"required": True, "content": {JSON: {"schema": ref(body)}}}
    if security:
        op["security"] = [{security: []}]
    op["responses"] = {str(k): v for k, v in {**responses, **{status: error(status) for status in errors}}.items()}
    return op


MANAGEMENT_ERRORS = (401, 403, 404, 429)
WRITE_ERRORS = (400, 401, 403, 404, 413, 429)


def management_paths() -> dict:
    def workspace(kind: str, owner: dict, list_op: dict | None) -> dict:
        label = "site" if kind == "sites" else "organization"
        secrets = {
            "post": operation(
                f"create_{label}_secret",
                f"Create a {label} secret (400 mentioning PATCH if the name exists).",
                {200: ok("WriteSummary", "Created; the secret's shape, never its value.")},
                tag="management",
                params=(owner,),
                body="CreateSecret",
                security="machineToken",
                errors=WRITE_ERRORS,
            )
        }
        if list_op:
            secrets["get"] = list_op
        named = {
            "patch": operation(
                f"patch_{label}_secret",
                "Change the default value, or set or delete (value null) an env override.",
                {
                    200: {
                        "description": "Changed.",
                        "content": {JSON: {"schema": {"anyOf": [ref("WriteSummary"), ref("OverrideDeleted")]}}},
                    }
                },
                tag="management",
                params=(owner, NAME),
                body="PatchSecret",
                security="machineToken",
                errors=WRITE_ERRORS,
            ),
            "delete": operation(
                f"delete_{label}_secret",
                "Delete a secret and all its overrides.",
                {200: ok("SecretDeleted", "Deleted.")},
                tag="management",
                params=(owner, NAME),
                security="machineToken",
                errors=(400, *MANAGEMENT_ERRORS),
            ),
        }
        prefix = f"{API}/{kind}/{{{'site' if kind == 'sites' else 'org'}}}/secrets"
        return {prefix: secrets, prefix + "/{name}": named}

    paths = {
        f"{API}/sites/{{site}}/secrets/showall": {
            "get": operation(
                "list_site_secrets",
                "List a site's secrets, with its owner organization's (SPEC §4).",
                {200: ok("SiteSecretList")},
                tag="management",
                params=(SITE,),
                security="machineToken",
                errors=MANAGEMENT_ERRORS,
            )
        },
    }
    paths.update(workspace("sites", SITE, None))
    paths.update(
        workspace(
            "organizations",
            ORG,
            operation(
                "list_org_secrets",
                "List an organization's secrets.",
                {200: ok("OrgSecretList")},
                tag="management",
                params=(ORG,),
                security="machineToken",
                errors=MANAGEMENT_ERRORS,
            ),
        )
    )
    return paths


def runtime_paths() -> dict:
    base = f"{API}/sites/{{site}}/environments/{{env}}/secrets"
    return {
        base: {
            "get": operation(
                "runtime_secrets",
                "What application code reads: web-scoped, resolved, cached; never rate limited.",
                {200: ok("RuntimePayload")},
                tag="runtime",
                params=(SITE, ENV),
                security="runtimeToken",
                errors=(400, 401, 403, 404),
            )
        },
        base + "/{name}": {
            "get": operation(
                "runtime_secret",
                "One web-scoped secret as application code reads it.",
                {200: ok("RuntimeSecret")},
                tag="runtime",
                params=(SITE, ENV, LOOKUP_NAME),
                security="runtimeToken",
                errors=(400, 401, 403, 404),
            )
        },
    }


def control_paths() -> dict:
    def get(op_id: str, summary: str, schema: str, params: tuple = (), errors: tuple[int, ...] = ()) -> dict:
        return {"get": operation(op_id, summary, {200: ok(schema)}, tag="control", params=params, errors=errors)}

    journal_filters = tuple(
        param(name, "query", f"Keep entries whose {name} equals this.", required=False, schema=STRING) for name in FILTERABLE
    )
    site_env = (SITE, ENV)
    return {
        f"{CONTROL}/health": get("health", "Liveness, version and store location.", "Health"),
        f"{CONTROL}/reset": {
            "post": operation(
                "reset",
                "Forget everything: world, cache, journal, rate-limit windows.",
                {200: ok("ResetDone")},
                tag="control",
                params=(CONTROL_HEADER,),
                errors=(403,),
            )
        },
        f"{CONTROL}/seed": {
            "post": operation(
                "seed",
                "Add or replace users, organizations and sites; all or nothing.",
                {200: ok("SeedSummary")},
                tag="control",
                body="SeedDocument",
                errors=(400, 403, 413),
            )
        },
        f"{CONTROL}/sites/{{site}}/import": {
            "post": operation(
                "import_local_file",
                "Add a local-generate secrets file's secrets to a site (created if new); others are kept.",
                {200: ok("SeedSummary")},
                tag="control",
                params=(SITE,),
                body="LocalSecretsFile",
                errors=(400, 403, 413),
            )
        },
        f"{CONTROL}/state": get("state", "The whole world, as a seed document.", "State"),
        f"{CONTROL}/journal": get(
            "journal", "Recent secrets-API calls, oldest first; never values.", "Journal", params=journal_filters, errors=(400,)
        ),
        f"{CONTROL}/settings": {
            **get("get_settings", "Rate limit and cache settings.", "Settings"),
            "patch": operation(
                "patch_settings",
                "Change settings at run time.",
                {200: ok("Settings")},
                tag="control",
                body="SettingsChange",
                errors=(400, 403, 413),
            ),
        },
        f"{CONTROL}/sites/{{site}}": get(
            "site_info", "A site's owner, framework, environments and PHP versions.", "SiteInfo", params=(SITE,), errors=(404,)
        ),
        f"{CONTROL}/sites/{{site}}/environments/{{env}}/explain/{{name}}": get(
            "explain",
            "Which layer supplies a name's value per scope, and why.",
            "Explanation",
            params=(*site_env, LOOKUP_NAME),
            errors=(404,),
        ),
        f"{CONTROL}/sites/{{site}}/environments/{{env}}/resolved": get(
            "resolved",
            "The values an environment reads for one scope, uncached, with provenance.",
            "Resolved",
            params=(
                *site_env,
                param("scope", "query", "ic, web or user (default web).", required=False, schema={"type": "string"}),
            ),
            errors=(400, 404),
        ),
        f"{CONTROL}/organizations/{{org}}": get(
            "organization_info", "An organization's id, name and members.", "OrganizationInfo", params=(ORG,), errors=(404,)
        ),
        f"{CONTROL}/sites/{{site}}/environments/{{env}}/variables": get(
            "variables",
            "The variables the site's process sees in an environment (Next.js included).",
            "Variables",
            params=site_env,
            errors=(404,),
        ),
        "/openapi.json": get("openapi", "This document.", "OpenAPIDocument"),
    }


def core_paths() -> dict:
    """Terminus' core API: what real Terminus calls before the secrets plugin does."""
    core = policy.CORE_API_PREFIX
    user = param("user_id", "path", "The user's id (from the login answer).")
    site = param("site_id", "path", "Site UUID (or name).")
    org = param("org_id", "path", "Organization UUID (or name).")
    limit = param("limit", "query", f"Page size, 1-{policy.CORE_API_PAGE_LIMIT}.", required=False)
    start = param("start", "query", "The id of the first item of the page.", required=False, schema=STRING)

    def get(op_id: str, summary: str, schema: str, params: tuple, errors: tuple[int, ...] = (401, 404)) -> dict:
        return {
            "get": operation(op_id, summary, {200: ok(schema)}, tag="core", params=params, security="sessionToken", errors=errors)
        }

    return {
        core + "/authorize/machine-token": {
            "post": operation(
                "core_login",
                "Log in with a user's machine token; answers a session token that expires.",
                {200: ok("CoreSession")},
                tag="core",
                body="MachineTokenLogin",
                errors=(400, 401),
            )
        },
        core + "/users/{user_id}": get("core_user", "The logged-in user.", "CoreUser", (user,)),
        core + "/users/{user_id}/memberships/organizations": get(
            "core_user_organizations",
            "The user's organizations, paged.",
            "OrganizationMemberships",
            (user, limit, start),
            (400, 401, 404),
        ),
        core + "/users/{user_id}/memberships/sites": get(
            "core_user_sites",
            "Sites the user is on the team of, paged.",
            "SiteMemberships",
            (user, limit, start),
            (400, 401, 404),
        ),
        core + "/organizations/{org_id}/memberships/sites": get(
            "core_organization_sites",
            "Sites of one of the user's organizations, paged.",
            "SiteMemberships",
            (org, limit, start),
            (400, 401, 404),
        ),
        core + "/site-names/{name}": get(
            "core_site_name",
            "A site's id by name (a site the user may not manage is not found).",
            "SiteName",
            (param("name", "path", "Site name."),),
        ),
        core + "/sites/{site_id}": get(
            "core_site",
            "A site as site:info reads it.",
            "CoreSite",
            (site, param("site_state", "query", "Ignored.", required=False, schema=STRING)),
        ),
        core + "/sites/{site_id}/environments": get(
            "core_environments", "A site's environments keyed by name; php_version as '83'.", "CoreEnvironments", (site,)
        ),
        core + "/sites/{site_id}/environments/{env}/settings": get(
            "core_environment_settings", "Whether an environment is initialized.", "EnvironmentSettings", (site, ENV)
        ),
        core + "/track": {
            "post": operation("core_track", "Terminus' command report: accepted at once.", {200: ok("Accepted")}, tag="core")
        },
    }


def build_document() -> dict:
    """The OpenAPI 3.1 document of every route."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Pantheon secrets emulator",
            "version": __version__,
            "description": "Pantheon's Secrets API (management and runtime reads) and the emulator's "
            "control plane. Every error body is plain text.",
        },
        "tags": [
            {"name": "management", "description": "What Terminus calls (SPEC §4); rate limited per user."},
            {"name": "runtime", "description": "What application code reads (SPEC §6)."},
            {"name": "control", "description": "The emulator's own control plane; no authentication."},
            {"name": "core", "description": "Terminus' core API under /api: login, users, sites, organizations."},
        ],
        "paths": {**management_paths(), **runtime_paths(), **control_paths(), **core_paths()},
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "machineToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "A user's machine token, raw (as Terminus sends it) or as 'Bearer <token>'.",
                },
                "runtimeToken": {"type": "http", "scheme": "bearer", "description": "The site's runtime token."},
                "sessionToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A session token from /api/authorize/machine-token (or a machine token).",
                },
            },
        },
    }


@bp.get("/openapi.json")
def openapi_document():
    return json_response(build_document())
