"""Every decision that is the emulator's own ([ours] in SPEC.md), in one place.

The real service's documented behaviour ([doc]) is reproduced elsewhere; what the
public record leaves open is decided here, so a change of mind is a one-line edit.
docs/api.md's "Emulator decisions" section lists the same choices for users.
"""

from __future__ import annotations

# Secret types [doc]: the secrets plugin's help names "env, runtime, composer, file and vcs";
# `vcs` is stored and listed and no build or runtime read uses it (no documented rule does).
SECRET_TYPES: tuple[str, ...] = ("runtime", "env", "composer", "file", "vcs")
SECRET_SCOPES: tuple[str, ...] = ("ic", "web", "user")

# Authorization: Terminus sends the raw token; we also accept "Bearer <token>".
ACCEPT_BEARER_PREFIX = True

# The API accepts a site or organization UUID *or* its name in the path.
ACCEPT_NAMES_IN_PATH = True

# Names: the documented rule for `env` secrets is in rules.py; every type also obeys this.
SECRET_NAME_MAX_LENGTH = 255
SECRET_NAME_PATTERN = r"^(?!\.+$)[A-Za-z0-9_.:@\-]+$"

# Environment names: dev/test/live or a multidev (Pantheon's rule: 1-11 characters).
ENVIRONMENT_NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,10}$"

# Request bodies larger than this are refused with 413 before they are read.
MAX_API_BODY_BYTES = 256 * 1024
MAX_CONTROL_BODY_BYTES = 64 * 1024 * 1024

# Rate limit (SPEC §5): requests per window per user on the management API.
RATE_LIMIT_REQUESTS = 3
RATE_LIMIT_WINDOW_SECONDS = 1.0

# Runtime cache (SPEC §6): seconds a resolved environment view is served from cache.
RUNTIME_CACHE_TTL_SECONDS = 900.0

# Terminus' core API (/api): a machine token logs in to a session token that lives this
# many seconds (PANTHEON_EMULATOR_SESSION_TTL, --session-ttl); it authorises /api and the
# secrets API (raw or Bearer). User ids are UUIDs derived from the user's email.
CORE_API_PREFIX = "/api"
SESSION_TTL_SECONDS = 86400.0
# Terminus pages list calls with ?limit=N&start=<last id>; at most this many items a page.
CORE_API_PAGE_LIMIT = 100

# Secrets are supported on PHP 8.0 and later only [doc]: runtime reads for an environment
# below 8.0 fail (400) naming it, instead of serving values the platform would
# not. Node.js sites are exempt.
RUNTIME_MIN_PHP = (8, 0)
RUNTIME_PHP_EXEMPT_FRAMEWORKS: tuple[str, ...] = ("nodejs",)

# Control-plane seeding and resets clear the runtime cache (they set up a world; the
# management API's writes, like the real service's, wait for the cache to expire).
CONTROL_PLANE_CLEARS_CACHE = True

# Journal: how many recent requests are kept.
JOURNAL_SIZE = 1000
# Longest text (path, name, actor) a journal entry keeps; longer text is cut, and
# control characters or unpaired surrogates are escaped, as in error messages.
JOURNAL_TEXT_MAX_LENGTH = 512

# The WSGI server's connection limits (waitress' defaults, 100 connections idle for up to
# 120 s, let one leaky client lock every other out): up to 1000 open connections, and a
# connection idle for 15 s is closed (checked every 2 s).
SERVER_CONNECTION_LIMIT = 1000
SERVER_IDLE_TIMEOUT_SECONDS = 15
SERVER_CLEANUP_INTERVAL_SECONDS = 2

# Server defaults.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8770
DEFAULT_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"  # where clients look by default
API_PREFIX = "/customer-secrets/v1"  # [doc] the secrets API's base path (SPEC §4)
CONTROL_PREFIX = "/_emulator"  # the emulator's own control plane, never Pantheon's

# The Terminus-compatible secret:* commands (SPEC §8): with no --url/--token and no
# PANTHEON_EMULATOR_URL/_TOKEN (environment or .env) they talk to the local server above
# as the demo user below.
# [doc] Terminus retries an answer that is neither 20x nor 40x (a 429 included) up to 5 times
# (src/Request/Request.php); it sleeps 5, 10, ... 25 s, we wait the server's Retry-After
# (1 s if absent or unreadable), never more than the cap, so a script stalls briefly and succeeds.
TERMINUS_MAX_RETRIES = 5
TERMINUS_RETRY_DEFAULT_WAIT_SECONDS = 1.0
TERMINUS_RETRY_MAX_WAIT_SECONDS = 5.0
# `-V` on a secret:* command: this program's own name and version (it is not Terminus).
TERMINUS_VERSION_LINE = "pantheon-emulator {version}"
# Consumers (SPEC §6, §7, §9, §10): the runtime client, IC builds and site variables.
# The runtime client's defaults when the environment names no emulator or environment.
RUNTIME_CLIENT_DEFAULT_ENVIRONMENT = "dev"
# An IC build with a composer/env secret it cannot use (malformed value, unknown auth
# kind, invalid COMPOSER_AUTH) fails, naming each one, instead of building without it.
IC_BUILD_FAILS_ON_MALFORMED_SECRET = True
# "user password" / "key secret" values are split at the first run of whitespace, so a
# password may itself contain spaces; both parts must be non-empty.
COMPOSER_PAIR_SEPARATOR = None  # str.split(None, 1): any run of whitespace
# COMPOSER_AUTH given as an `env` secret wins over entries generated from `composer`
# secrets for the same host, as Composer's own COMPOSER_AUTH wins over auth.json.
COMPOSER_AUTH_ENV_SECRET_WINS = True
# Files written by ic-build / env hold secret values: owner read/write only.
SECRET_FILE_MODE = 0o600
# Next.js processes (SPEC §10) see web-scoped secrets. SITE_SECRETS_DEFAULT's "value" is
# the value before any environment override, "envValues" the environments an override
# supplies; SITE_SECRETS_PRODUCTION holds {"NAME": "value"} resolved for `live` [doc].
NEXTJS_SCOPE = "web"
NEXTJS_PRODUCTION_ENVIRONMENT = "live"

# Inside a container the server binds every interface on purpose (other containers and a
# published port reach it that way); the banner says so instead of the plain warning.
# The image says it is one with PANTHEON_EMULATOR_CONTAINER=1.
CONTAINER_BIND_NOTE = (
    "Inside a container: bound to {host} on purpose, so that other containers and a published "
    "port reach it. Publish the port on 127.0.0.1 only (-p 127.0.0.1:{port}:{port}); the emulator "
    "has no real authentication."
)
# doctor and pull (client wing) talking to Pantheon's own API (SPEC §10 gaps): a 429 is
# retried up to this many times, waiting its Retry-After (capped).
PANTHEON_API_MAX_RETRIES = 5
PANTHEON_API_MAX_WAIT_SECONDS = 30.0
# pull: a value the API does not reveal (no `user` scope) is stored as this placeholder
# until --values or --ask fills it; a --values key NAME fills the default, NAME/ENV an override.
PULL_PLACEHOLDER = "PULLED-WITHOUT-VALUE"
PULL_OVERRIDE_SEPARATOR = "/"
# doctor: process.env names a Node site reads that are the platform's, not secrets.
DOCTOR_PLATFORM_VARIABLES: tuple[str, ...] = (
    "NODE_ENV",
    "PORT",
    "HOME",
    "PATH",
    "HOSTNAME",
    "CI",
    "TZ",
    "APP_ENV",
    "SITE_SECRETS_DEFAULT",
    "SITE_SECRETS_PRODUCTION",
)
DOCTOR_PLATFORM_PREFIXES: tuple[str, ...] = ("PANTHEON_", "NEXT_", "npm_")
# doctor: Composer repositories on packagist.org are public; any other composer/vcs/git
# repository is taken to be private and to need auth for its host.
DOCTOR_PUBLIC_HOSTS: tuple[str, ...] = ("packagist.org", "repo.packagist.org")
# doctor: the auth kind its remedy suggests for a host (any kind for the host satisfies it).
DOCTOR_SUGGESTED_AUTH = {"github.com": "github-oauth", "gitlab.com": "gitlab-oauth", "bitbucket.org": "bitbucket-oauth"}
DOCTOR_DEFAULT_AUTH = "http-basic"

# The built-in demo world, loaded into an empty store when no seed is given.
DEMO_USER_EMAIL = "demo@example.com"
DEMO_USER_TOKEN = "demo-token"
DEMO_ORG_NAME = "demo-org"
DEMO_SITE_NAME = "demo-site"

# The dashboard at / : journal refresh interval (milliseconds) and the word a reset needs.
DASHBOARD_POLL_MS = 2000
DASHBOARD_RESET_WORD = "reset"
# Dashboard writes are journalled by the service's hooks under this actor.
DASHBOARD_ACTOR = "dashboard"

# Status codes for each kind of failure (SPEC §4: never 409 or 422).
STATUS_BAD_REQUEST = 400
STATUS_UNAUTHORIZED = 401
STATUS_FORBIDDEN = 403
STATUS_NOT_FOUND = 404
STATUS_METHOD_NOT_ALLOWED = 405
STATUS_TOO_LARGE = 413
STATUS_RATE_LIMITED = 429
STATUS_UNAVAILABLE = 503

# The store's write lock (another process may hold it): how long a write waits for it
# before answering 503 with Retry-After. Reads never wait for it (WAL).
STORE_LOCK_WAIT_SECONDS = 5.0
STORE_BUSY_RETRY_AFTER_SECONDS = 1


class Messages:
    """Error texts. [doc] ones are byte-exact copies of the service's; the rest are ours."""

    # [doc]
    INVALID_ENV_NAME = (
        "Invalid key name '{name}': Environment variable names must start with a letter or "
        "underscore, and can only contain letters, numbers, and underscores."
    )
    OVERRIDE_WITHOUT_SECRET = "Secret '{name}' does not exist. You should create the default secret value first."
    ALREADY_EXISTS = "Secret '{name}' already exists. Use PATCH if you want to update it."  # plugin PR #50
    RATE_LIMITED = "Rate limit exceeded: at most {limit} requests per {window} per user."
    # [ours]
    SECRET_NOT_FOUND = "Secret '{name}' does not exist."
    VALUE_TOO_LARGE = "Secret value for '{name}' is {size} bytes; the limit is {limit} bytes."
    VALUE_NOT_UTF8 = "Secret value for '{name}' is not valid UTF-8 text."
    VALUE_NOT_STRING = "Field 'value' must be a string, not {kind}."
    UNKNOWN_TYPE = "Unknown secret type '{type}'. Valid types: {valid}."
    UNKNOWN_SCOPE = "Unknown secret scope '{scope}'. Valid scopes: {valid}."
    EMPTY_SCOPES = "Field 'scopes' must name at least one scope."
    BAD_NAME = "Invalid secret name '{name}': names must be 1-{max} characters of letters, numbers, '.', '_', '-', ':' and '@'."
    TYPE_IMMUTABLE = "Secret '{name}': type and scopes cannot change after creation. Delete and recreate the secret."
    MISSING_FIELD = "Missing required field '{field}' in request body."
    WRONG_FIELD_TYPE = "Field '{field}' must be {expected}, not {kind}."
    UNKNOWN_FIELD = "Unknown field '{field}' in request body."
    BAD_JSON = "Request body is not valid JSON: {detail}."
    NOT_JSON_OBJECT = "Request body must be a JSON object."
    NOT_JSON_CONTENT = "Request body must be JSON (Content-Type: application/json), not '{content_type}'."
    NO_TOKEN = "Authentication required: send a machine token in the Authorization header."
    BAD_TOKEN = "Invalid or expired token."
    SITE_NOT_FOUND = "Site '{site}' not found."
    ORG_NOT_FOUND = "Organization '{org}' not found."
    ENV_NOT_FOUND = "Environment '{env}' not found on site '{site}'."
    BAD_ENV_NAME = (
        "Invalid environment name '{env}': use dev, test, live or a multidev name (1-11 lowercase letters, numbers and dashes)."
    )
    NO_SITE_ACCESS = "You do not have permission to manage secrets of site '{site}'."
    NO_ORG_ACCESS = "You do not have permission to manage secrets of organization '{org}'."
    RUNTIME_TOKEN_REQUIRED = "Runtime reads need the site's runtime token as 'Authorization: Bearer <token>'."
    RUNTIME_WRONG_SITE = "This runtime token does not belong to site '{site}'."
    RUNTIME_SECRET_NOT_FOUND = "No web-scoped secret '{name}' for site '{site}' in environment '{env}'."
    BODY_TOO_LARGE = "Request body is larger than the limit of {limit} bytes."
    NO_ROUTE = "No route for {method} {path}."
    METHOD_NOT_ALLOWED = "Method {method} is not allowed for {path}."
    # Terminus' core API: plain strings; Terminus prints its own text around them.
    BAD_MACHINE_TOKEN = "Invalid machine token."
    SESSION_REQUIRED = "Authentication required: log in with a machine token (terminus auth:login)."
    CORE_USER_NOT_FOUND = "User '{user}' not found."
    CORE_SITE_NOT_FOUND = "Site '{site}' not found."
    CORE_ORG_NOT_FOUND = "Organization '{org}' not found."
    BAD_PAGE_LIMIT = "Query parameter 'limit' must be a whole number from 1 to {max}, not '{value}'."
    RUNTIME_PHP_TOO_OLD = (
        "Secrets are supported on PHP 8.0 and later only: environment '{env}' of site '{site}' runs PHP {version}."
    )
    INTERNAL = "Internal emulator error; see the server log."
    STORE_BUSY = "The store is busy: another process held its write lock for over {seconds:g} seconds. Try again."
    # Clients (the Terminus-compatible CLI): one line naming where they looked.
    EMULATOR_UNREACHABLE = "Cannot reach the emulator at {url}. Is 'pantheon-emulator serve' running?"
    EMULATOR_TIMEOUT = "The emulator at {url} did not answer within {timeout:g} seconds."
    # Start-up seeding (serve, the container image): a file or a variable, never both.
    SEEDED = "Seeded {users} user(s), {organizations} organization(s), {sites} site(s)"
    SEED_REPLACED = "; replaced {entities} ({whose} secrets were replaced)"
    SEED_IMPORTED_INTO = "; site '{site}' already existed: the file's secrets were added or replaced, its others kept"
    SEED_STORED_BEFORE_INTERRUPT = "Interrupted, but the seed had already been stored."
    SEED_JSON_INVALID = "PANTHEON_EMULATOR_SEED_JSON is not valid JSON: {detail}."
    SEED_TWICE = (
        "Give the start-up seed document once: as a file (PANTHEON_EMULATOR_SEED / --seed) "
        "or as JSON in PANTHEON_EMULATOR_SEED_JSON, not both."
    )
    BAD_EMULATOR_URL = "Invalid emulator URL '{url}': expected something like http://127.0.0.1:8770."
    NOT_AN_EMULATOR = "The server at {url} does not answer like a Pantheon secrets emulator (no JSON from {path})."
    # Consumers: runtime client, IC builds, site variables.
    IC_PHP_TOO_OLD = "Skipping setting up secrets as it is not supported in PHP below 8.0"  # [doc]
    IC_NOT_HERE = "Integrated Composer never builds in '{env}': it runs for dev and multidev environments only."
    IC_PAIR_MALFORMED = "Secret '{name}' must hold two parts separated by a space: '{first} {second}'."
    IC_EMPTY_TOKEN = "Secret '{name}' is empty; a Composer token cannot be empty."
    IC_UNKNOWN_AUTH = (
        "Secret '{name}' is of type composer but is not a Composer auth entry; name it <kind>.<host> with kind one of {kinds}."
    )
    IC_AUTH_ENTRY_MALFORMED = "Secret '{name}' must hold {expected}."
    IC_NODEJS_SITE = "Site '{site}' runs Node.js (Next.js): Pantheon has no Integrated Composer build for it."
    IC_COMPOSER_AUTH_INVALID = "Secret '{name}' is not valid Composer auth JSON: {detail}."
    IC_BUILD_FAILED = "The build's secrets could not be set up:"
    RUNTIME_NOT_CONFIGURED = (
        "{variable} is not set: the runtime client needs the site, environment and runtime token "
        "(try 'pantheon-emulator env <site>.<env> > .env')."
    )
    # The dashboard (docs/dashboard.md).
    DASHBOARD_BAD_CSRF = "Refused: the form's CSRF token is missing or stale. Reload the page and try again."
    DASHBOARD_RESET_UNCONFIRMED = "Nothing was reset: type 'reset' in the confirmation box to remove everything."
    DASHBOARD_NO_FILE = "Choose a {what} file first."
    DASHBOARD_ENV_LINE = "Line {line}: {problem}"
    DASHBOARD_ENV_NO_EQUALS = "expected NAME=value, found no '='."
    DASHBOARD_ENV_EMPTY = "the file holds no NAME=value lines."
    DASHBOARD_ENV_NOT_UTF8 = "The .env file is not UTF-8 text."
    DASHBOARD_SEED_NOT_JSON = "The seed file is not valid JSON: {detail}."
    FAKE_FILE_INVALID = "The secrets file {path} is not a secrets list: {detail}."
    # The local file is read as strictly as the SDK's fake client reads it: where the SDK
    # throws (no Type, no Scopes, a null value), the reader names the secret and why.
    FAKE_FILE_ENTRY_FIELD = "secret '{name}' has no '{field}' ({expected}), so Pantheon's SDK cannot read the file"
    FAKE_FILE_NO_VALUE_USER_SCOPE = (
        "Secret '{name}' has no value in {path}: it lacks the 'user' scope, so local-generate "
        "could not read its value. Set a test value for it in the file."
    )
    FAKE_FILE_NO_VALUE = "Secret '{name}' has no value in {path}. Set a test value for it in the file."
    # doctor and pull
    PANTHEON_TOKEN_REFUSED = "The machine token was refused by {url}: {detail}"
    PANTHEON_SITE_UNKNOWN = "Site '{site}' was not found at {url}."
    PANTHEON_API_FAILED = "{url} answered {status} to {method} {path}: {detail}"
    PANTHEON_RATE_LIMITED = "{url} kept answering 429 (rate limited) after {tries} tries; try again later."
    NOT_PANTHEON_API = "The server at {url} does not answer like Pantheon's API (no JSON from {path})."
    DOCTOR_NO_TREE = "{path} is not a directory."
    DOCTOR_NO_COMPOSER_JSON = "No composer.json in {path}: doctor reads a site's code tree (give its path)."
    DOCTOR_BAD_COMPOSER_JSON = "{path} is not valid JSON: {detail}."
    DOCTOR_UNKNOWN_ENV = "Site '{site}' has no environment '{env}' (it has {known})."
    DOCTOR_SSH_REPOSITORY = (
        "Repository {url} is cloned over SSH; Integrated Composer clones over HTTPS only. Use {https} in composer.json."
    )
    DOCTOR_NO_AUTH = "No Composer auth for {host} ({kind} repository {url}): the build cannot fetch its packages."
    DOCTOR_AUTH_WRONG = (
        "Secret '{name}' is type {type}, scopes {scopes}: Composer auth must be type composer, scope ic. "
        "Delete and recreate it as type composer, scope ic."
    )
    DOCTOR_ENV_WRONG = "Secret '{name}' is type {type}, scopes {scopes}: the build needs it as type env, scope ic."
    DOCTOR_PACKAGE_KEY_MISSING = "Package {package} needs {name} (type env, scope ic) in the build, and it is missing."
    DOCTOR_ACF_NOTE = "{package} is no longer supported: ACF now ships its own Composer support; consider switching to it."
    DOCTOR_PHP_TOO_OLD = "PHP {php}: the build will log '{message}', and secrets are not supported below PHP 8.0."
    DOCTOR_NAME_MISSING = "The code reads '{name}', which this environment does not have."
    DOCTOR_NAME_NOT_WEB = "The code reads '{name}', but it lacks the web scope (scopes {scopes}): the application cannot read it."
    DOCTOR_NAME_NOT_ENV = "The code reads process.env.{name}, but '{name}' is type {type}: only env secrets become variables."
    DOCTOR_UNUSED = "Secret '{name}' ({type}, {scopes}; {holder}): no PHP or JS file reads it and no repository needs it."
    DOCTOR_COMPOSER_AUTH_HIDDEN = "COMPOSER_AUTH's value is hidden (no user scope); the hosts it covers were not checked."
    PULL_PLACEHOLDERS = (
        "{count} value(s) were not revealed by the API (no user scope) and hold '{placeholder}': {names}. "
        "Fill them with --values FILE or --ask."
    )
    PULL_BAD_VALUES_FILE = "Cannot read {path}: {detail}"
    SITE_ENV_ARGUMENT = "Expected <site>.<env>, e.g. demo-site.dev, not '{value}'."


# Requests from browsers (SPEC: none; ours). A page on another site must not reach the
# emulator through the user's browser: the Host header must name an address the server
# serves (its bind host, the localhost forms, and any allowed with --allow-host or
# PANTHEON_EMULATOR_ALLOWED_HOSTS; "*" allows any), a state-changing request from
# another origin is refused, and a control-plane write must carry a JSON body or the
# header below (neither can be sent by a plain HTML form).
# pantheon-emulator.invalid is the pytest plugin's in-process transport (.invalid never resolves,
# so no page can rebind to it).
LOCAL_HOST_NAMES: tuple[str, ...] = ("localhost", "127.0.0.1", "::1", "pantheon-emulator.invalid")
ALLOW_ANY_HOST = "*"
CONTROL_HEADER = "X-Pantheon-Emulator"
STATE_CHANGING_METHODS: tuple[str, ...] = ("POST", "PUT", "PATCH", "DELETE")
# Sec-Fetch-Site values that mean "not a page of this server".
CROSS_SITE_FETCHES: tuple[str, ...] = ("cross-site", "same-site")


class GuardMessages:
    """Messages of the browser guard ([ours])."""

    FOREIGN_HOST = (
        "Host '{host}' is not an address this emulator serves ({allowed}). "
        "Allow it with --allow-host or PANTHEON_EMULATOR_ALLOWED_HOSTS."
    )
    CROSS_ORIGIN = "Cross-origin request refused: {method} {path} from origin '{origin}'."
    CROSS_SITE = "Cross-origin request refused: {method} {path} from another site (Sec-Fetch-Site: {value})."
    CONTROL_NEEDS_JSON = "Control-plane writes need a JSON body (Content-Type: application/json) or the header '{header}: 1'."
