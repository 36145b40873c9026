"""#14 item 13: a Next.js site's variables resolve only what they need, and say the same
as resolving every environment in full (the straightforward reading of SPEC §10)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.core import policy, resolve, site_env
from emulator.core.service import NO_ENVIRONMENT, Emulator
from emulator.core.store import Store

ENVS = ("dev", "test", "live", "md1", "md2")
NAMES = ("A", "B", "C")
layer_secret = st.fixed_dictionaries(
    {
        "name": st.sampled_from(NAMES),
        "value": st.sampled_from(["x", "y"]),
        "type": st.sampled_from(["env", "runtime"]),
        "scopes": st.sampled_from([["web"], ["user"], ["web", "user"]]),
        "overrides": st.dictionaries(st.sampled_from(ENVS), st.sampled_from(["o1", "o2"]), max_size=3),
    }
)
unique = st.lists(layer_secret, max_size=3, unique_by=lambda s: s["name"])


def _fully_resolved(em: Emulator, site, env: str) -> dict[str, str]:
    store = em._store
    org = store.secrets("org", site.owner) if site.owner else []
    own = store.secrets("site", site.id)
    scope = policy.NEXTJS_SCOPE
    every = {name: resolve.resolve_environment(org, own, name, scope) for name in site.environments}
    defaults = resolve.resolve_environment(org, own, NO_ENVIRONMENT, scope)
    return site_env.process_variables(site, env, defaults, every)


@settings(max_examples=80, deadline=None)
@given(org_secrets=unique, site_secrets=unique, overrides_only=st.lists(st.sampled_from(NAMES), max_size=2, unique=True))
def test_a_nextjs_sites_variables_match_full_resolution(org_secrets, site_secrets, overrides_only):
    own_names = {s["name"] for s in site_secrets}
    org_names = {s["name"] for s in org_secrets}
    extra = [
        {"name": n, "value": None, "overrides": {"md1": "only"}} for n in overrides_only if n in org_names and n not in own_names
    ]
    em = Emulator(Store())
    em.seed(
        {
            "organizations": [{"name": "o", "secrets": org_secrets}],
            "sites": [
                {
                    "name": "next",
                    "owner": "o",
                    "framework": "nodejs",
                    "environments": {e: {} for e in ENVS},
                    "secrets": site_secrets + extra,
                }
            ],
        }
    )
    site = em.site("next")
    for env in ENVS:
        assert em.process_variables(site, env) == _fully_resolved(em, site, env)
