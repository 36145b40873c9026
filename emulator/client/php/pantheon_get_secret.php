<?php
/**
 * pantheon_get_secret() for a local PHP site, answered by the Pantheon secrets emulator.
 *
 * Load it before the site's code, e.g. php -d auto_prepend_file=PATH or, in php.ini,
 * auto_prepend_file = PATH (print PATH with `pantheon-emulator php-prepend-path`).
 * It defines pantheon_get_secret() only where nothing else has.
 *
 * Configuration, from the process environment ($_SERVER / $_ENV also read, for FPM):
 *   PANTHEON_SITE                    site name or UUID (required)
 *   PANTHEON_ENVIRONMENT             environment, default "dev"
 *   PANTHEON_EMULATOR_URL            default http://127.0.0.1:8770
 *   PANTHEON_EMULATOR_RUNTIME_TOKEN  the site's runtime token (required)
 *   CUSTOMER_SECRETS_FAKE_FILE       read this secrets file instead of the emulator,
 *                                    as the customer-secrets SDK's fake client does
 *
 * pantheon_get_secret($name) returns the web-scoped value resolved for the site and
 * environment, or null when there is no such secret. A misconfiguration or an
 * unreachable emulator throws a RuntimeException (its message never holds a value).
 * It also defines Pantheon\Internal\CustomerSecrets\CustomerSecretsClient (and its
 * interface), the platform class Pantheon's customer-secrets PHP SDK looks for, so an
 * unmodified PantheonSystems\CustomerSecrets\CustomerSecrets::create()->getClient() reads
 * the running emulator. When CUSTOMER_SECRETS_FAKE_FILE is set it does not, and the SDK
 * uses its own fake client on that file, as it would locally.
 *
 * A secrets file is read as strictly as the SDK reads it: an entry without a string Type
 * or a Scopes list, or a null value asked for, throws a RuntimeException naming the secret.
 * Works on PHP 7.4 and later; needs no extension beyond the standard HTTP stream.
 */

namespace {
if (!function_exists('pantheon_emulator_setting')) {
    /** A setting from the environment, or $default when unset or empty. */
    function pantheon_emulator_setting($name, $default = null)
    {
        $value = getenv($name);
        if (($value === false || $value === '') && isset($_SERVER[$name])) {
            $value = $_SERVER[$name];
        }
        if (($value === false || $value === '') && isset($_ENV[$name])) {
            $value = $_ENV[$name];
        }
        return ($value === false || $value === '' || $value === null) ? $default : (string) $value;
    }
}

if (!function_exists('pantheon_emulator_fake_file_secrets')) {
    /**
     * Every secret of a secrets file, read with the SDK fake client's rules: Value, or
     * OrgValues.default when Value is empty; overrides and scopes ignored.
     */
    function pantheon_emulator_fake_file_secrets($path)
    {
        if (!file_exists($path)) {
            return array();
        }
        $data = json_decode((string) file_get_contents($path), true);
        if (!is_array($data) || !isset($data['Secrets']) || !is_array($data['Secrets'])) {
            throw new RuntimeException("The secrets file $path is not a secrets list: expected an object with a 'Secrets' object.");
        }
        $values = array();
        foreach ($data['Secrets'] as $name => $entry) {
            if (!is_array($entry)) {
                throw new RuntimeException("The secrets file $path is not a secrets list: entry '$name' is not an object.");
            }
            foreach (array('Type' => 'a string', 'Scopes' => 'a list of scopes') as $field => $expected) {
                $ok = $field === 'Type' ? (isset($entry[$field]) && is_string($entry[$field])) : (isset($entry[$field]) && is_array($entry[$field]));
                if (!$ok) {
                    throw new RuntimeException("The secrets file $path is not a secrets list: secret '$name' has no '$field' ($expected), so Pantheon's SDK cannot read the file.");
                }
            }
            $value = isset($entry['Value']) ? $entry['Value'] : null;
            if (empty($value) && !empty($entry['OrgValues']['default'])) {
                $value = $entry['OrgValues']['default'];
            }
            $values[$name] = $value;
        }
        return $values;
    }
}

if (!function_exists('pantheon_emulator_runtime_get')) {
    /** GET a runtime route of the emulator: array(status, body). */
    function pantheon_emulator_runtime_get($suffix)
    {
        $site = pantheon_emulator_setting('PANTHEON_SITE');
        $token = pantheon_emulator_setting('PANTHEON_EMULATOR_RUNTIME_TOKEN');
        foreach (array('PANTHEON_SITE' => $site, 'PANTHEON_EMULATOR_RUNTIME_TOKEN' => $token) as $variable => $given) {
            if ($given === null) {
                throw new RuntimeException("$variable is not set: pantheon_get_secret() needs the site, environment and runtime token (try 'pantheon-emulator env <site>.<env>').");
            }
        }
        $env = pantheon_emulator_setting('PANTHEON_ENVIRONMENT', 'dev');
        $base = rtrim(pantheon_emulator_setting('PANTHEON_EMULATOR_URL', 'http://127.0.0.1:8770'), '/');
        $url = $base . '/customer-secrets/v1/sites/' . rawurlencode($site) . '/environments/' . rawurlencode($env) . '/secrets' . $suffix;
        $context = stream_context_create(array('http' => array(
            'method' => 'GET',
            'header' => "Accept: application/json\r\nAuthorization: Bearer $token\r\n",
            'ignore_errors' => true,
            'timeout' => 30,
        )));
        $body = @file_get_contents($url, false, $context);
        if ($body === false) {
            throw new RuntimeException("Cannot reach the Pantheon secrets emulator at $base. Is 'pantheon-emulator serve' running?");
        }
        $status = 0;
        $headers = isset($http_response_header) ? $http_response_header : array();
        if ($headers && preg_match('#^HTTP/\S+\s+(\d{3})#', $headers[0], $match)) {
            $status = (int) $match[1];
        }
        return array($status, $body);
    }
}

if (!function_exists('pantheon_get_secret')) {
    /**
     * The value of secret $name for this site and environment, or null.
     */
    function pantheon_get_secret($name)
    {
        $fake = pantheon_emulator_setting('CUSTOMER_SECRETS_FAKE_FILE');
        if ($fake !== null) {
            $secrets = pantheon_emulator_fake_file_secrets($fake);
            if (!array_key_exists($name, $secrets)) {
                return null;
            }
            if ($secrets[$name] === null) {
                $data = json_decode((string) file_get_contents($fake), true);
                $why = in_array('user', $data['Secrets'][$name]['Scopes'], true)
                    ? '.'
                    : ": it lacks the 'user' scope, so local-generate could not read its value.";
                throw new RuntimeException("Secret '$name' has no value in $fake$why Set a test value for it in the file.");
            }
            return $secrets[$name];
        }
        list($status, $body) = pantheon_emulator_runtime_get('/' . rawurlencode($name));
        if ($status === 404) {
            // A missing name, unless the site or environment itself is unknown.
            list($status, $body) = pantheon_emulator_runtime_get('');
            if ($status === 200) {
                return null;
            }
        }
        if ($status !== 200) {
            throw new RuntimeException("The Pantheon secrets emulator answered $status: $body");
        }
        $entry = json_decode($body, true);
        return is_array($entry) && isset($entry['Value']) ? $entry['Value'] : null;
    }
}
}

namespace Pantheon\Internal\CustomerSecrets {
    if (!interface_exists(CustomerSecretsClientInterface::class, false)
        && \pantheon_emulator_setting('CUSTOMER_SECRETS_FAKE_FILE') === null) {
        /** What the SDK's live client calls: get() answers the runtime payload. */
        interface CustomerSecretsClientInterface
        {
            public function get(): array;
        }
    }
    if (!class_exists(CustomerSecretsClient::class, false) && interface_exists(CustomerSecretsClientInterface::class, false)) {
        /** The platform's internal client, answered by the emulator's runtime route. */
        class CustomerSecretsClient implements CustomerSecretsClientInterface
        {
            /** @var array */
            private $args;

            private function __construct(array $args)
            {
                $this->args = $args;
            }

            public static function create(array $args = array()): CustomerSecretsClientInterface
            {
                return new static($args);
            }

            /** {"SiteID", "Secrets" (absent when none), "Count", "Version", "Scopes"}; throws naming the cause. */
            public function get(): array
            {
                list($status, $body) = \pantheon_emulator_runtime_get('');
                if ($status !== 200) {
                    throw new \RuntimeException("The Pantheon secrets emulator answered $status: $body");
                }
                $payload = json_decode($body, true);
                if (!is_array($payload)) {
                    throw new \RuntimeException('The Pantheon secrets emulator did not answer a JSON object.');
                }
                return $payload;
            }
        }
    }
}
