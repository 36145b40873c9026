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
 * Works on PHP 7.4 and later; needs no extension beyond the standard HTTP stream.
 */

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
            return array_key_exists($name, $secrets) ? $secrets[$name] : null;
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
