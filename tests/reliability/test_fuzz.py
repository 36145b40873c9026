"""Generated requests against a real server, through the OpenAPI document: no 5xx, nothing undocumented.

schemathesis turns each documented operation into a Hypothesis strategy (valid data, and
data that breaks the schema); this test draws from them, mixing in the tokens and names
of a real multi-tenant world so requests get past authentication, sends each over HTTP
to a waitress server, and checks every response against the document.

    FUZZ_EXAMPLES   requests per route family (default 1000)
    FUZZ_SEED       Hypothesis seed (default fixed, so every run sends the same requests)

Try another seed with ``FUZZ_SEED=$RANDOM python -m pytest -m fuzz``.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from emulator.core.model import User
from emulator.core.service import user_id_of
from emulator.web.openapi import build_document

from .openapi_check import check_response
from .support import RUNTIME_TOKENS, TENANT_WORLD, USER_TOKENS

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "20240917"))

DOCUMENT = build_document()
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
FAMILIES = {tag["name"]: [op for op in OPERATIONS if op.definition.raw["tags"] == [tag["name"]]] for tag in DOCUMENT["tags"]}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]

SITES = [s["name"] for s in TENANT_WORLD["sites"]]
ORGS = [o["name"] for o in TENANT_WORLD["organizations"]]
NAMES = ["SITE_VISIBLE", "SITE_HIDDEN", "ORG_SHARED", "ORG_HIDDEN", "PARTNER_KEY"]
ENVS = ["dev", "test", "live"]
# (Authorization header, the sites and organizations it is meant for), by family
PERSONAS = {
    "management": [
        ("alice-token", ["north-web", "north-shop"], ["north"]),
        ("Bearer dave-token", ["north-web"], ["partner"]),
        ("carol-token", ["north-shop"], ORGS),
        ("bob-token", ["south-web"], ["south"]),
        ("erin-token", ["erin-blog"], ORGS),
    ],
    "runtime": [(f"Bearer {token}", [site], ORGS) for site, token in RUNTIME_TOKENS.items()],
    "control": [(None, SITES, ORGS)],
    "core": [
        ("Bearer alice-token", ["north-web", "north-shop"], ["north"]),
        ("bob-token", ["south-web"], ["south"]),
    ],
}
CORE_USER_IDS = [user_id_of(User(f"{who}@example.com", f"{who}-token")) for who in ("alice", "bob")]
ANY_TOKEN = [*USER_TOKENS.values(), *(f"Bearer {t}" for t in RUNTIME_TOKENS.values()), "Bearer", "nobody", "", None]
DEFAULT_SETTINGS = {"rate_limit": False, "rate_limit_requests": 3, "rate_limit_window": 1.0, "cache_ttl": 900.0}
CHANGES_THE_WORLD = {"reset", "seed", "patch_settings"}


@st.composite
def request_parts(draw, family: str, operation) -> tuple[dict, dict]:
    """Path parameters and headers: mostly a caller and targets that fit, sometimes anything."""
    coherent = draw(st.integers(0, 4)) > 0
    if coherent:
        token, sites, orgs = draw(st.sampled_from(PERSONAS[family]))
    else:
        token, sites, orgs = draw(st.sampled_from(ANY_TOKEN)), SITES, ORGS
    known = {"site": sites, "org": orgs, "env": ENVS, "name": NAMES, "site_id": sites, "org_id": orgs, "user_id": CORE_USER_IDS}
    path = {}
    for parameter in operation.path_parameters:
        if draw(st.integers(0, 4)) > 0 if coherent else draw(st.booleans()):
            path[parameter.name] = draw(st.sampled_from(known[parameter.name]))
        # else schemathesis generates the value
    headers = {"Authorization": token} if token is not None and operation.definition.raw.get("security") else {}
    return path, headers


@pytest.mark.slow
@pytest.mark.fuzz
@pytest.mark.parametrize("family", list(FAMILIES))
def test_generated_requests_get_documented_answers(family, tenant_app, serve_app):
    url = serve_app(tenant_app)
    service = tenant_app.extensions["pantheon_emulator"]
    operations = FAMILIES[family]
    session = requests.Session()
    sent: Counter = Counter()
    answers: Counter = Counter()

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @seed(FUZZ_SEED)
    @given(data=st.data())
    def one_request(data):
        operation = data.draw(st.sampled_from(operations), label="operation")
        mode = data.draw(st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE]), label="mode")
        path, headers = data.draw(request_parts(family, operation), label="caller")
        case = data.draw(
            operation.as_strategy(generation_mode=mode, path_parameters=path or None, headers=headers or None), label="case"
        )
        response = case.call(base_url=url, session=session, timeout=30)
        sent[operation.label] += 1
        answers[response.status_code // 100] += 1
        try:
            assert response.status_code < 500, response.text
            case.validate_response(response, checks=CHECKS)
            check_response(DOCUMENT, case.method, operation.path, response.status_code, response.headers, response.content)
        finally:
            if operation.definition.raw["operationId"] in CHANGES_THE_WORLD and response.status_code == 200:
                service.reset()
                service.seed(TENANT_WORLD)
                service.configure(**DEFAULT_SETTINGS)

    with session:
        one_request()
    assert sum(sent.values()) >= FUZZ_EXAMPLES, sent
    assert set(sent) == {op.label for op in operations}, "every operation of the family was fuzzed"
    assert answers[2] >= FUZZ_EXAMPLES // 20, f"too few requests got past validation and access checks: {answers}"
